import { ERROR_CODES } from './error-codes';
import { localizedMessage, preferredLanguage } from './error-language';
import { ERROR_MESSAGES_ZH } from './error-messages.zh';

describe('error messages in the client\'s language', () => {
  it('reads the most preferred language of Accept-Language', () => {
    expect(preferredLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(preferredLanguage('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(preferredLanguage('en;q=0.5, zh-Hans;q=0.9')).toBe('zh');
    expect(preferredLanguage('fr')).toBe('en'); // English is the fallback for every other language
    expect(preferredLanguage(undefined)).toBeNull();
    expect(preferredLanguage('*')).toBeNull();
  });

  it('gives a Chinese message for an English refusal and keeps a Chinese one as written', () => {
    expect(localizedMessage('BID_DEADLINE_PASSED', 'The bid deadline has passed', 'zh')).toBe('投标已截止（以服务器收到时间为准）');
    expect(localizedMessage('SECOND_REVIEWER_REQUIRED', '您已审核过该申请，须由另一名审核人员完成复核', 'zh')).toBe('您已审核过该申请，须由另一名审核人员完成复核');
    expect(localizedMessage('SECOND_REVIEWER_REQUIRED', '您已审核过该申请', 'en')).toBe(ERROR_CODES.SECOND_REVIEWER_REQUIRED);
    expect(localizedMessage('BID_DEADLINE_PASSED', 'The bid deadline has passed', 'en')).toBe('The bid deadline has passed');
    expect(localizedMessage('BID_DEADLINE_PASSED', 'The bid deadline has passed', null)).toBe('The bid deadline has passed');
    expect(localizedMessage('GRAPHQL_PARSE_FAILED', 'Syntax Error', 'zh')).toBe('Syntax Error'); // outside the catalogue
  });

  it('has a Chinese message for every code of the catalogue', () => {
    for (const code of Object.keys(ERROR_CODES)) expect({ code, zh: /[\u3400-\u9fff]/.test(ERROR_MESSAGES_ZH[code as keyof typeof ERROR_CODES]) }).toEqual({ code, zh: true });
  });
});
