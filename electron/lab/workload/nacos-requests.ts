/**
 * The Nacos v1 Open API requests the workload sends (spec/nacos-open-api.md §2.2–2.5, §3),
 * as plain data. Pure; workload.ts sends them.
 */

export interface HttpRequestSpec {
  method: 'GET' | 'POST' | 'PUT'
  /** Path with query string. */
  path: string
  /** application/x-www-form-urlencoded body. */
  body?: string
}

const qs = (p: Record<string, string>): string => new URLSearchParams(p).toString()
const grouped = (group: string, service: string): string => `${group}@@${service}`
const consistency = (linearizable: boolean): Record<string, string> => (linearizable ? { consistency: 'linearizable' } : {})

export function publishConfig(dataId: string, group: string, content: string): HttpRequestSpec {
  return { method: 'POST', path: '/nacos/v1/cs/configs', body: qs({ dataId, group, content }) }
}

export function getConfig(dataId: string, group: string, linearizable: boolean): HttpRequestSpec {
  return { method: 'GET', path: `/nacos/v1/cs/configs?${qs({ dataId, group, ...consistency(linearizable) })}` }
}

/** The synthetic instance `i` of service `s`: distinct, never a real address the lab uses. */
export function instanceAddress(s: number, i: number): { ip: string; port: number } {
  return { ip: `10.88.${s}.${i + 1}`, port: 8080 }
}

/** Register as the SDK does: everything in the query, empty body. */
export function registerInstance(service: string, group: string, ip: string, port: number): HttpRequestSpec {
  const q = qs({
    namespaceId: 'public',
    serviceName: grouped(group, service),
    groupName: group,
    clusterName: 'DEFAULT',
    ip,
    port: String(port),
    weight: '1',
    enable: 'true',
    healthy: 'true',
    ephemeral: 'true',
    metadata: '{}'
  })
  return { method: 'POST', path: `/nacos/v1/ns/instance?${q}` }
}

export function listInstances(service: string, group: string, linearizable: boolean): HttpRequestSpec {
  const q = qs({ namespaceId: 'public', serviceName: grouped(group, service), clusters: '', healthyOnly: 'false', ...consistency(linearizable) })
  return { method: 'GET', path: `/nacos/v1/ns/instance/list?${q}` }
}

/** The SDK's beat: ip/port/cluster travel inside the `beat` JSON. */
export function beatInstance(service: string, group: string, ip: string, port: number): HttpRequestSpec {
  const beat = JSON.stringify({ serviceName: grouped(group, service), ip, port, cluster: 'DEFAULT', weight: 1, metadata: {}, scheduled: true })
  return { method: 'PUT', path: `/nacos/v1/ns/instance/beat?${qs({ namespaceId: 'public', serviceName: grouped(group, service), beat })}` }
}
