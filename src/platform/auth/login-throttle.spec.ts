import { loginSource, throttleKey } from './login-throttle';

describe('login throttle keys', () => {
  it('counts IPv4 (also when mapped into IPv6) by address and IPv6 by its /64', () => {
    expect(loginSource({ ip: '203.0.113.7' })).toBe('203.0.113.7');
    expect(loginSource({ ip: '::ffff:203.0.113.7' })).toBe('203.0.113.7');
    expect(loginSource({ ip: '2001:db8:1:2:aaaa::1' })).toBe('2001:db8:1:2::/64');
    expect(loginSource({ ip: '2001:0db8:0001:0002:ffff:eeee:dddd:cccc' })).toBe('2001:db8:1:2::/64');
    expect(loginSource({ ip: '2001:db8::7' })).toBe('2001:db8:0:0::/64');
    expect(loginSource({ ip: '::1' })).toBe('0:0:0:0::/64');
    expect(loginSource(undefined)).toBe('unknown');
  });

  it('keys by source and username together, case- and space-insensitively, without keeping the name', () => {
    expect(throttleKey('203.0.113.7', ' Admin ')).toBe(throttleKey('203.0.113.7', 'admin'));
    expect(throttleKey('203.0.113.7', 'admin')).not.toBe(throttleKey('203.0.113.8', 'admin'));
    expect(throttleKey('203.0.113.7', 'admin')).not.toBe(throttleKey('203.0.113.7', 'admin2'));
    expect(throttleKey('203.0.113.7', 'admin')).toMatch(/^[0-9a-f]{64}$/);
  });
});
