/** Byte counts of one proxy and direction; links add to them on every chunk. */
export interface ByteCounters {
  received: number;
  sent: number;
}

/** The labels Toxiproxy puts on its per-proxy byte counters. */
export interface ProxyLabels {
  readonly direction: 'upstream' | 'downstream';
  readonly proxy: string;
  readonly listener: string;
  readonly upstream: string;
}

const escape = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * Prometheus counters `toxiproxy_proxy_received_bytes_total` and
 * `toxiproxy_proxy_sent_bytes_total`, one series per label set. Counters live as long as the
 * server (a deleted proxy's totals stay, as Prometheus counters should).
 */
export class ProxyMetrics {
  private readonly series = new Map<string, { labels: ProxyLabels; counters: ByteCounters }>();

  /** The counters for a label set, created at zero. Callers keep and increment the object. */
  counters(labels: ProxyLabels): ByteCounters {
    const key = JSON.stringify([labels.direction, labels.proxy, labels.listener, labels.upstream]);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels, counters: { received: 0, sent: 0 } };
      this.series.set(key, entry);
    }
    return entry.counters;
  }

  /** The Prometheus text exposition of every series. */
  render(): string {
    const lines: string[] = [];
    const metric = (name: string, help: string, pick: (c: ByteCounters) => number): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const { labels, counters } of this.series.values()) {
        const l = labels;
        lines.push(
          `${name}{direction="${l.direction}",listener="${escape(l.listener)}",proxy="${escape(l.proxy)}",upstream="${escape(l.upstream)}"} ${pick(counters)}`,
        );
      }
    };
    metric('toxiproxy_proxy_received_bytes_total', 'The total bytes received from the source', (c) => c.received);
    metric('toxiproxy_proxy_sent_bytes_total', 'The total bytes sent to the destination', (c) => c.sent);
    return `${lines.join('\n')}\n`;
  }
}
