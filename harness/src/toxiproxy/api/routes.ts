import type { ProxyMetrics } from '../metrics.js';
import type { ProxyCollection } from '../proxy-collection.js';
import { toxicJson } from '../toxic.js';
import { ApiError } from './api-error.js';
import { expectObject } from './request-body.js';

/** Version reported by `GET /version`: the Toxiproxy API level this server implements. */
export const TOXIPROXY_VERSION = '2.12.0';

/** What a handler answers: a status and either a JSON value, raw text, or nothing (204). */
export type Reply =
  | { readonly status: number; readonly json: unknown }
  | { readonly status: number; readonly text: string; readonly contentType: string }
  | { readonly status: 204 };

/** What handlers get: path parameters and the parsed body (only for methods that read one). */
export interface RouteRequest {
  /** The HTTP method (`POST`, `PATCH`, ...). */
  readonly method: string;
  readonly params: readonly string[];
  body(): unknown;
}

/** Everything handlers act on. */
export interface RouteContext {
  readonly proxies: ProxyCollection;
  readonly metrics: ProxyMetrics;
  /** Where warnings go (a deprecated method was used); ignored when absent. */
  readonly warn?: (message: string) => void;
}

type Handler = (ctx: RouteContext, req: RouteRequest) => Promise<Reply> | Reply;

/** One path pattern: segments, `*` matching any one segment (a name). */
export interface Route {
  readonly pattern: readonly string[];
  readonly methods: Readonly<Record<string, Handler>>;
}

const json = (status: number, value: unknown): Reply => ({ status, json: value });

/**
 * `POST /populate`. Unlike every other endpoint, its errors are JSON (`application/json`, no
 * trailing newline) and carry the proxies handled before the failure, `"proxies": null` when
 * there were none, as the real server answers.
 */
const populate: Handler = async ({ proxies }, req) => {
  try {
    return json(201, { proxies: await proxies.populate(req.body()) });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const handled = error.extra?.proxies;
    return json(error.status, { error: error.message, status: error.status, proxies: handled ?? null });
  }
};
const noContent: Reply = { status: 204 };

/** Updating with POST still works but is deprecated (as in the real server, which logs it too). */
function warnIfPost(ctx: RouteContext, req: RouteRequest, what: string): void {
  if (req.method === 'POST') ctx.warn?.(`${what}: HTTP method POST is deprecated. Use HTTP PATCH instead.`);
}

const updateProxy: Handler = async (ctx, req) => {
  warnIfPost(ctx, req, 'ProxyUpdate');
  return json(200, await ctx.proxies.update(req.params[0]!, req.body()));
};
const updateToxic: Handler = (ctx, req) => {
  warnIfPost(ctx, req, 'ToxicUpdate');
  const { proxies } = ctx;
  const toxics = proxies.get(req.params[0]!).toxics;
  toxics.get(req.params[1]!);
  return json(200, toxicJson(toxics.update(req.params[1]!, expectObject(req.body(), 'toxic'))));
};

/** The Toxiproxy HTTP API, as in the spec's endpoint list. */
export const ROUTES: readonly Route[] = [
  {
    pattern: ['proxies'],
    methods: {
      GET: ({ proxies }) => json(200, Object.fromEntries(proxies.list().map((p) => [p.name, p]))),
      POST: async ({ proxies }, req) => json(201, await proxies.create(req.body())),
    },
  },
  {
    pattern: ['populate'],
    methods: {
      POST: populate,
    },
  },
  { pattern: ['reset'], methods: { POST: async ({ proxies }) => (await proxies.reset(), noContent) } },
  {
    pattern: ['version'],
    methods: {
      GET: () => ({ status: 200, text: `{"version": "${TOXIPROXY_VERSION}"}\n`, contentType: 'application/json;charset=utf-8' }),
    },
  },
  {
    pattern: ['metrics'],
    methods: {
      GET: ({ metrics }) => ({ status: 200, text: metrics.render(), contentType: 'text/plain; version=0.0.4' }),
    },
  },
  {
    pattern: ['proxies', '*'],
    methods: {
      GET: ({ proxies }, req) => json(200, proxies.get(req.params[0]!)),
      POST: updateProxy,
      PATCH: updateProxy,
      DELETE: ({ proxies }, req) => (proxies.remove(req.params[0]!), noContent),
    },
  },
  {
    pattern: ['proxies', '*', 'toxics'],
    methods: {
      GET: ({ proxies }, req) => json(200, proxies.get(req.params[0]!).toxics.list().map(toxicJson)),
      POST: ({ proxies }, req) => {
        const toxics = proxies.get(req.params[0]!).toxics;
        return json(200, toxicJson(toxics.add(expectObject(req.body(), 'toxic'))));
      },
    },
  },
  {
    pattern: ['proxies', '*', 'toxics', '*'],
    methods: {
      GET: ({ proxies }, req) => json(200, toxicJson(proxies.get(req.params[0]!).toxics.get(req.params[1]!))),
      POST: updateToxic,
      PATCH: updateToxic,
      DELETE: ({ proxies }, req) => (proxies.get(req.params[0]!).toxics.remove(req.params[1]!), noContent),
    },
  },
];

/** Finds the route of a decoded path; returns the `*` segments as params. */
export function matchRoute(segments: readonly string[]): { route: Route; params: string[] } | undefined {
  for (const route of ROUTES) {
    if (route.pattern.length !== segments.length) continue;
    const params: string[] = [];
    const ok = route.pattern.every((part, i) => {
      if (part === '*') {
        params.push(segments[i]!);
        return segments[i] !== '';
      }
      return part === segments[i];
    });
    if (ok) return { route, params };
  }
  return undefined;
}
