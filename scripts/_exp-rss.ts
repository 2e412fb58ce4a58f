import { mkdtemp, readFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Lab } from '../electron/lab/lab'
const script = join(process.cwd(), 'out/node-core/index.cjs')
const root = await mkdtemp(join(tmpdir(), 'exp-'))
const lab = new Lab({ dataRoot: root, nodeCoreScript: script, host: 'cli', version: 'x' })
await lab.handle('cluster.create', { size: 3 })
let st: any = await lab.handle('cluster.start', undefined)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const agent = new Agent({ keepAlive: true, maxSockets: 64 })
const req = (n: any, method: string, path: string, body?: string): Promise<number> => new Promise((res) => {
  const headers: any = {}
  if (body !== undefined) { headers['content-type'] = 'application/x-www-form-urlencoded'; headers['content-length'] = Buffer.byteLength(body) }
  const r = request({ host: n.host, port: n.httpPort, path, method, headers, agent }, (rs) => { rs.resume(); rs.on('end', () => res(rs.statusCode ?? 0)) })
  r.on('error', () => res(0)); r.end(body)
})
const rss = async (label: string) => {
  const c: any = await lab.handle('cluster.get', undefined)
  const out: string[] = []
  for (const n of c.value.nodes) { const s = await readFile(`/proc/${n.pid}/status`, 'utf8'); out.push((Number(/^VmRSS:\s+(\d+)/m.exec(s)?.[1]) / 1024).toFixed(1)) }
  console.log(`${label}: RSS ${out.join(' / ')} MB`)
  if (process.env.SMAPS) {
    const { readFileSync } = await import('node:fs')
    const txt = readFileSync(`/proc/${c.value.nodes[0].pid}/smaps`, 'utf8')
    const maps: { name: string; rss: number; size: number }[] = []
    let cur: any = null
    for (const line of txt.split('\n')) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line)
      if (m) { cur = { name: m[3] || '[anon]', rss: 0, size: (parseInt(m[2], 16) - parseInt(m[1], 16)) / 1024 }; maps.push(cur); continue }
      const r = /^Rss:\s+(\d+)/.exec(line); if (r && cur) cur.rss = Number(r[1])
    }
    const by = new Map<string, number>()
    for (const m of maps) by.set(m.name, (by.get(m.name) ?? 0) + m.rss)
    console.log('   by name (MB):', [...by].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k.split('/').pop()}=${(v / 1024).toFixed(1)}`).join(' '))
    const anon = maps.filter((m) => m.name === '[anon]').sort((a, b) => b.rss - a.rss)
    console.log('   biggest anon (rss/size KB):', anon.slice(0, 14).map((m) => `${m.rss}/${m.size}`).join(' '), 'count', anon.length, 'small(<=132KB size) rss', anon.filter((m) => m.size <= 132).reduce((a, m) => a + m.rss, 0))
  }
  for (const n of c.value.nodes) {
    const text: string = await new Promise((res) => { request({ host: n.host, port: n.httpPort, path: '/nacos/actuator/prometheus' }, (rs) => { let t = ''; rs.on('data', (x) => (t += x)); rs.on('end', () => res(t)) }).end() })
    const g = (name: string) => { const m = new RegExp('^' + name + '(?:\\{[^}]*\\})? ([0-9.e+]+)$', 'm').exec(text); return m ? (Number(m[1]) / 1048576).toFixed(1) : '?' }
    const spaces = text.split('\n').filter((l) => l.startsWith('nodejs_heap_space_size_used_bytes')).map((l) => l.replace(/.*space="([^"]+)".* ([0-9.e+]+)$/, (_, a, b) => `${a}=${(Number(b) / 1048576).toFixed(1)}`)).join(' ')
    console.log(`   heap total ${g('nodejs_heap_size_total_bytes')} used ${g('nodejs_heap_size_used_bytes')} external ${g('nodejs_external_memory_bytes')} | ${spaces}`)
  }
}
const fill = async (nodes: any[], N: number, tag: string) => {
  let next = 0
  await Promise.all(Array.from({ length: 64 }, async () => { while (next < N) { const i = next++; while ((await req(nodes[i % 3], 'POST', '/nacos/v1/cs/configs', `dataId=cfg-${i}&group=BENCH&content=${'x'.repeat(100)}${tag}`)) !== 200) await sleep(10) } }))
}
const reg = async (nodes: any[], N: number) => {
  let next = 0
  await Promise.all(Array.from({ length: 64 }, async () => { while (next < N) { const i = next++; while ((await req(nodes[i % 3], 'POST', `/nacos/v1/ns/instance?serviceName=svc${i % 100}&ip=10.0.${(i >> 8) & 255}.${i & 255}&port=8080&ephemeral=false`)) !== 200) await sleep(10) } }))
}
await sleep(1500)
let nodes = st.value.nodes
const rounds = Number(process.env.ROUNDS ?? 6)
for (let r = 0; r < rounds; r++) await fill(nodes, 10000, String(r))
await rss(`after ${rounds}x10k publishes`)
await sleep(5000)
await rss('after 5 s idle')
await lab.handle('cluster.stop', undefined)
st = await lab.handle('cluster.start', undefined)
nodes = st.value.nodes
await sleep(2000)
await rss('after restart')
await fill(nodes, 10000, 'z')
await reg(nodes, 10000)
await rss('after restart + 10k+10k fill')
await sleep(5000)
await rss('after 5 s idle')
await lab.handle('cluster.stop', undefined)
process.exit(0)
