import { FakeClock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { AuthUser } from '../context/request-context';
import { TokenService } from './token.service';

const user: AuthUser = {
  id: '7f1c2a52-0a44-4a53-9a36-2f0f5c1e0001',
  username: 'hosp-zz-1',
  role: 'HOSPITAL',
  organisationId: '7f1c2a52-0a44-4a53-9a36-2f0f5c1e0002',
  organisationKind: 'HOSPITAL',
  regionCode: '410102',
  regionPath: '410000/410100/410102',
};

function service(clock: FakeClock, secret = 'a-test-secret-of-at-least-thirty-two-characters') {
  return new TokenService({ jwtSecret: secret, accessTokenTtlSeconds: 900 } as AppConfig, clock);
}

describe('TokenService: remembered verdicts', () => {
  it('accepts a token again from memory, and refuses it once the clock reaches its expiry', () => {
    const clock = new FakeClock('2026-03-02T09:00:00+08:00');
    const tokens = service(clock);
    const { token } = tokens.issueAccessToken(user);
    expect(tokens.verifyAccessToken(token)).toEqual({ user });
    expect(tokens.verifyAccessToken(token)).toEqual({ user });
    clock.advance(899_000);
    expect(tokens.verifyAccessToken(token)).toEqual({ user });
    clock.advance(1_000);
    expect(tokens.verifyAccessToken(token)).toEqual({ error: 'The access token has expired; refresh it or log in again' });
  });

  it('never answers a changed token from memory: a token verified once does not vouch for a tampered copy', () => {
    const clock = new FakeClock('2026-03-02T09:00:00+08:00');
    const tokens = service(clock);
    const { token } = tokens.issueAccessToken(user);
    expect('user' in tokens.verifyAccessToken(token)).toBe(true);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, rol: 'PLATFORM_ADMIN' })).toString('base64url'), signature].join('.');
    expect(tokens.verifyAccessToken(forged)).toEqual({ error: 'The access token is not valid' });
    expect(service(clock, 'another-secret-of-at-least-thirty-two-characters').verifyAccessToken(token)).toEqual({ error: 'The access token is not valid' });
  });

  it('hands out a caller that nobody can change for the next request', () => {
    const tokens = service(new FakeClock('2026-03-02T09:00:00+08:00'));
    const { token } = tokens.issueAccessToken(user);
    const first = tokens.verifyAccessToken(token) as { user: AuthUser };
    expect(() => Object.assign(first.user, { role: 'PLATFORM_ADMIN' })).toThrow(TypeError);
    expect((tokens.verifyAccessToken(token) as { user: AuthUser }).user.role).toBe('HOSPITAL');
  });
});
