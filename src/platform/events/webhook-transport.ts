import { promises as dns, LookupAddress } from 'dns';
import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';
import { isIP, LookupFunction } from 'net';
import { addressProblem } from '@libs/change-feed';

/** Resolves a host name to its addresses (the system resolver; tests stand in for DNS). */
export type Resolver = (host: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (host) => dns.lookup(host, { all: true });

/** A delivery refused because its target is inside the platform's own network. */
export class WebhookTargetRefused extends Error {}

/**
 * POSTs one webhook. The target's addresses are checked in the connection's own lookup, so the address
 * connected to is the one checked: a host name that resolves to a public address when the subscription is
 * checked and to an internal one a moment later (DNS rebinding) is refused at connect time. No redirect is
 * followed (a redirect could lead into the platform's own network); the body of the answer is discarded.
 */
export function postWebhook(
  url: string,
  options: { headers: Record<string, string>; body: string; timeoutMs: number; allowPrivateTargets: boolean; resolve?: Resolver },
): Promise<{ status: number }> {
  const { headers, body, timeoutMs, allowPrivateTargets } = options;
  const resolve = options.resolve ?? systemResolver;
  const target = new URL(url);
  const refusal = (address: string) => (allowPrivateTargets ? null : addressProblem(address));
  // an address written in the URL is connected to without any lookup
  const literal = target.hostname.replace(/^\[|\]$/g, '');
  const literalRefused = isIP(literal) ? refusal(literal) : null;
  if (literalRefused) return Promise.reject(new WebhookTargetRefused(`回调地址不可用：${literalRefused}`));
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses.map((a) => refusal(a.address)).find((problem) => problem);
        if (refused) return callback(new WebhookTargetRefused(`回调地址不可用：${refused}`), '', 0);
        if (!addresses.length) return callback(new WebhookTargetRefused(`回调地址不可用：无法解析主机 ${hostname}`), '', 0);
        if (lookupOptions.all) return callback(null, addresses);
        return callback(null, addresses[0].address, addresses[0].family);
      },
      () => callback(new WebhookTargetRefused(`回调地址不可用：无法解析主机 ${hostname}`), '', 0),
    );
  };
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((done, fail) => {
    const request = send(
      target,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, signal: AbortSignal.timeout(timeoutMs) },
      (response) => {
        response.on('error', fail);
        response.on('end', () => done({ status: response.statusCode ?? 0 }));
        response.resume();
      },
    );
    request.on('error', fail);
    request.end(body);
  });
}
