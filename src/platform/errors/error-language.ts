import { ERROR_CODES, ErrorCode } from './error-codes';
import { ERROR_MESSAGES_ZH } from './error-messages.zh';

export type Language = 'zh' | 'en';

const CJK = /[\u3400-\u9fff]/;

/**
 * The language a client asked for in Accept-Language: 'zh' when its most preferred tag is Chinese, 'en' when it
 * names another language first, null when it asks for none (then messages stay as the refusal wrote them).
 */
export function preferredLanguage(header: string | undefined | null): Language | null {
  if (!header || !header.trim()) return null;
  const tags = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((t) => t.tag && t.tag !== '*' && Number.isFinite(t.q) && t.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  if (!tags.length) return null;
  return tags[0].tag === 'zh' || tags[0].tag.startsWith('zh-') ? 'zh' : 'en';
}

/**
 * A refusal's message in the client's language: kept when already in it, else the catalogue's message for its
 * code (Chinese: ERROR_MESSAGES_ZH; English: ERROR_CODES). The details stay in `extensions` either way.
 */
export function localizedMessage(code: string, message: string, language: Language | null): string {
  if (!language || !(code in ERROR_CODES)) return message;
  const isChinese = CJK.test(message);
  if (language === 'zh') return isChinese ? message : ERROR_MESSAGES_ZH[code as ErrorCode];
  return isChinese ? ERROR_CODES[code as ErrorCode] : message;
}
