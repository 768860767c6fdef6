import { describe, expect, it } from 'vitest';
import { guardRpcRequest } from './request-guard.js';

describe('Raft RPCs refuse browsers and non-JSON bodies', () => {
  it('accepts application/json (any case, with parameters) with no Origin', () => {
    for (const type of ['application/json', 'Application/JSON', 'application/json; charset=utf-8']) {
      expect(guardRpcRequest({ 'content-type': type }), type).toBeNull();
    }
    expect(guardRpcRequest({ 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' })).toBeNull();
    expect(guardRpcRequest({ 'content-type': 'application/json', 'sec-fetch-site': 'none' })).toBeNull();
  });

  it('415 for a body that is not declared application/json (a form or text/plain a page can send without preflight)', () => {
    for (const type of [undefined, 'text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      expect(guardRpcRequest(type === undefined ? {} : { 'content-type': type }), String(type)).toMatchObject({ status: 415 });
    }
  });

  it('403 for any Origin, and for a Sec-Fetch-Site other than none/same-origin, even as application/json', () => {
    expect(guardRpcRequest({ 'content-type': 'application/json', origin: 'https://evil.example' })).toMatchObject({ status: 403, error: expect.stringContaining('evil.example') });
    expect(guardRpcRequest({ 'content-type': 'application/json', origin: 'null' })).toMatchObject({ status: 403 });
    for (const site of ['cross-site', 'same-site']) {
      expect(guardRpcRequest({ 'content-type': 'application/json', 'sec-fetch-site': site }), site).toMatchObject({ status: 403 });
    }
    // A browser request is refused as such before its content type is looked at.
    expect(guardRpcRequest({ 'content-type': 'text/plain', origin: 'https://evil.example' })).toMatchObject({ status: 403 });
  });
});
