import { AppError } from '../errors/app-error';
import { badTextAt, InputValidationPipe, textProblem } from './validation.pipe';

describe('text checks of the validation pipe', () => {
  it('refuses lone UTF-16 surrogates anywhere, and keeps real astral characters', () => {
    expect(textProblem('药品\ud800', 'input.name')).toMatch(/代理项/);
    expect(textProblem('\udc00x', 'input.note')).toMatch(/代理项/);
    expect(textProblem('\udbff\udbff\udc00', 'input.note')).toMatch(/代理项/);
    expect(textProblem('𠮷野家 😀', 'input.name')).toBeNull();
  });

  it('refuses control characters, allowing tabs and line breaks only in free text', () => {
    expect(textProblem('a\u0000b', 'input.note')).toMatch(/U\+0000/);
    expect(textProblem('line 1\r\nline 2\tend', 'input.note')).toBeNull();
    expect(textProblem('line 1\nline 2', 'input.lines[2].rejectionReason')).toBeNull();
    expect(textProblem('first\nsecond', 'input.measures[1]')).toBeNull();
    expect(textProblem('阿莫西林\n胶囊', 'input.genericName')).toMatch(/U\+000A/);
    expect(textProblem('x\u001b[31m', 'input.note')).toMatch(/U\+001B/);
    expect(textProblem('x\u0085', 'reason')).toMatch(/U\+0085/);
    expect(textProblem('x\u007f', 'username')).toMatch(/U\+007F/);
  });

  it('names the field at fault, however deep', () => {
    expect(badTextAt({ lines: [{ batchNumber: 'B1' }, { batchNumber: 'B\ud83d' }] }, 'input')).toMatchObject({ field: 'input.lines[1].batchNumber' });
    expect(badTextAt({ at: new Date(), n: 3, ok: true, none: null }, 'input')).toBeNull();
  });

  it('refuses through the pipe with VALIDATION_FAILED and the field', async () => {
    const pipe = new InputValidationPipe();
    const refusal = (await pipe.transform('hosp\u0007', { type: 'body', data: 'username', metatype: String }).catch((e: unknown) => e)) as AppError;
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'username' });
    await expect(pipe.transform('正常的理由\n第二行', { type: 'body', data: 'reason', metatype: String })).resolves.toBe('正常的理由\n第二行');
  });
});
