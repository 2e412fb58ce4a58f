/**
 * node-core process entry: argv/env parsing and wiring only.
 *
 *   node out/node-core/index.cjs --home DIR
 *
 * Startup: parse the command line, load conf/, open the four log files, listen, then announce
 * readiness on stdout (`node-core <address> ready pid=<pid>`) and, when forked by the lab, as
 * a {@link ReadyMessage} on the IPC channel. Shutdown (SIGTERM, SIGINT, the lab going away)
 * closes the server, logs, flushes and exits 0. Exit codes: {@link NODE_EXIT_CODES}.
 */
import { join } from 'node:path'
import { ConfError } from './conf/conf-error'
import { loadNodeConfig, type NodeConfig } from './conf/load'
import { parseMainArgs, UsageError, USAGE, type MainCommand } from './main-args'
import { createNodeLoggers, type NodeLoggers } from './observe/logger'
import { NODE_EXIT_CODES, type NodeExitCode, type ReadyMessage } from './protocol/admin'
import { raftSettings, type RaftSettings } from './conf/raft-settings'
import { addressOfNodeId, nodeIdOf } from './protocol/node-id'
import { describeTrace } from './raft/describe'
import type { TraceEvent } from './raft/trace'
import type { NodeId } from './raft/types'
import { authSettings } from './server/auth'
import { ListenError } from './server/http-server'
import { startNacosNode, type NacosNode } from './server/nacos-node'
import { watchParent } from './server/parent-watch'
import { isStorageError } from './storage'
import { isTransportError, PeerTransport } from './transport'
import { NODE_CORE_VERSION } from './version'

/** How long open requests get to finish before their connections are cut. */
const CLOSE_GRACE_MS = 2_000
/** Hard stop if shutdown itself hangs (a stuck disk, a bug): exit anyway. */
const SHUTDOWN_DEADLINE_MS = 5_000

function exit(code: NodeExitCode): never {
  process.exit(code)
}

function fail(message: string, code: NodeExitCode): never {
  process.stderr.write(`node-core: ${message}\n`)
  exit(code)
}

function main(): void {
  const startedAt = Date.now()
  // The lab may die and close our pipes; a failed write must not crash the node before the
  // orphan guard shuts it down properly.
  process.stdout.on('error', () => {})
  process.stderr.on('error', () => {})

  let command: MainCommand
  try {
    command = parseMainArgs(process.argv.slice(2), process.env)
  } catch (err) {
    if (err instanceof UsageError) fail(`${err.message}\nTry 'node-core --help'.`, NODE_EXIT_CODES.usage)
    throw err
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE)
    exit(NODE_EXIT_CODES.ok)
  }
  if (command.kind === 'version') {
    process.stdout.write(`node-core ${NODE_CORE_VERSION}\n`)
    exit(NODE_EXIT_CODES.ok)
  }

  let config: NodeConfig
  try {
    config = loadNodeConfig(command.home)
  } catch (err) {
    if (err instanceof ConfError) fail(err.message, NODE_EXIT_CODES.config)
    throw err
  }

  let loggers: NodeLoggers
  try {
    loggers = createNodeLoggers({ home: config.home, node: config.self.address, level: command.logLevel ?? config.logLevel })
  } catch (err) {
    fail(`cannot open log files under ${config.home}/logs: ${(err as Error).message}`, NODE_EXIT_CODES.failure)
  }
  const log = loggers.main

  let raft: RaftSettings
  try {
    raft = raftSettings(config.properties, config.home, config.members)
  } catch (err) {
    if (err instanceof ConfError) fail(err.message, NODE_EXIT_CODES.config)
    throw err
  }

  let node: NacosNode | undefined
  let transport: PeerTransport | undefined

  // Shutdown is reachable from signals, IPC, the parent poll and startup failures, possibly
  // several at once; only the first one acts.
  let stopping = false
  let stopParentWatch = (): void => {}
  const shutdown = (reason: string, code: NodeExitCode = NODE_EXIT_CODES.ok): void => {
    if (stopping) return
    stopping = true
    stopParentWatch()
    log.info({ reason }, 'shutting down')
    const deadline = setTimeout(() => {
      log.warn({ reason, deadlineMs: SHUTDOWN_DEADLINE_MS }, 'shutdown took too long; exiting')
      loggers.flush()
      exit(code)
    }, SHUTDOWN_DEADLINE_MS)
    deadline.unref()
    void (async () => {
      try {
        await node?.close(CLOSE_GRACE_MS)
        await transport?.close()
        log.info({ reason, uptimeMs: Date.now() - startedAt }, 'node-core stopped')
      } catch (err) {
        log.error({ err }, 'error while shutting down')
      } finally {
        await loggers.close()
        exit(code)
      }
    })()
  }

  const die = (what: string) => (err: unknown) => {
    log.fatal({ err }, what)
    loggers.flush()
    process.stderr.write(`node-core: ${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    exit(NODE_EXIT_CODES.failure)
  }
  process.on('uncaughtException', die('uncaught exception'))
  process.on('unhandledRejection', die('unhandled rejection'))

  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))

  // Orphan guard, part 1: forked by the lab with an IPC channel. The channel closes when the lab
  // exits or dies, however it dies. Unref it: the HTTP server is what keeps us alive.
  if (process.send) {
    process.channel?.unref()
    if (!process.connected) shutdown('parent lab went away')
    process.on('disconnect', () => shutdown('parent lab went away'))
  }
  // Orphan guard, part 2: any spawn, as long as the lab told us its pid.
  if (command.parentPid !== undefined) {
    stopParentWatch = watchParent({ pid: command.parentPid, onGone: () => shutdown('parent lab went away') })
  }

  for (const warning of config.warnings) log.warn(warning)

  if (raft.secretDerived && config.members.length > 1) {
    log.warn(`no ${'quorum.cluster.secret'} set: peers use a secret derived from cluster.conf, which keeps out mistakes, not attackers`)
  }

  const selfId = nodeIdOf(config.self.address)
  const peers = new Map<NodeId, string>()
  for (const m of config.members) if (m.address !== config.self.address) peers.set(nodeIdOf(m.address), m.address)
  const onTrace = (e: TraceEvent): void => {
    // Role, term, membership and leadership changes are what operators grep for (seed §8.2).
    const important = e.type === 'roleChanged' || e.type === 'confChanged' || e.type === 'checkQuorumFailed' || e.type.startsWith('transfer') || e.type === 'snapshotRestored'
    if (important) loggers.cluster.info({ event: e }, describeTrace(e))
    // Guarded: describeTrace would format every commit advance even with debug off.
    else if (e.type !== 'msgSent' && e.type !== 'msgReceived' && loggers.cluster.isLevelEnabled('debug')) loggers.cluster.debug({ event: e }, describeTrace(e))
    if (e.type === 'confChanged' && transport) {
      // Scale out / in: dial exactly the current members. Ids of IPv4 members read back as
      // their addresses, so a member added at run time needs no cluster.conf edit.
      const next = new Map<NodeId, string>()
      for (const id of [...e.config.voters, ...e.config.learners]) {
        if (id === selfId) continue
        const address = peers.get(id) ?? addressOfNodeId(id)
        if (address) next.set(id, address)
      }
      try {
        transport.setPeers(next)
      } catch (err) {
        loggers.cluster.error({ err }, 'could not update peers after a membership change')
      }
    }
  }

  const start = async (): Promise<void> => {
    transport = new PeerTransport({
      selfId,
      selfAddress: config.self.address,
      listenHost: config.bindAddress,
      listenPort: config.raftPort,
      secret: raft.secret,
      peers,
      routingFile: raft.routingFile,
      logger: (r) => loggers.cluster[r.level]({ ...r.fields }, r.msg),
      onMessage: (m) => node?.host.step(m),
      onUnreachable: (id) => node?.host.reportUnreachable(id),
      onSnapshotStatus: (id, ok) => node?.host.reportSnapshot(id, ok)
    })
    await transport.start()
    const t = transport
    node = await startNacosNode({
      dataDir: join(config.home, 'data', 'raft'),
      members: config.members,
      self: config.self,
      bindAddress: config.bindAddress,
      httpPort: config.httpPort,
      logger: log,
      startedAt,
      send: (m) => t.send(m),
      timing: { tickMs: raft.tickMs, heartbeatTick: raft.heartbeatTicks, electionTick: raft.electionTicks },
      preVote: raft.preVote,
      checkQuorum: raft.checkQuorum,
      snapshotEvery: raft.snapshotEntries,
      catchUpEntries: raft.catchUpEntries,
      noLeaderWaitMs: raft.noLeaderWaitMs,
      join: raft.join,
      namingLog: loggers.naming,
      onLeaderChange: (leader, role, term) =>
        loggers.cluster.info({ leader, role, term }, leader ? `election: leader is ${leader} at term ${term} (this node: ${role})` : `election: no leader at term ${term} (this node: ${role})`),
      configLog: loggers.config,
      auth: authSettings(config.properties, raft.secret),
      onTrace,
      onFatal: (err) => {
        log.fatal({ err }, 'storage failed; exiting so a restart can recover from the WAL')
        shutdown('storage failure', NODE_EXIT_CODES.failure)
      }
    })
  }

  start().then(
    () => {
      if (stopping) return
      const members = config.members.map((m) => m.address)
      log.info(
        {
          version: NODE_CORE_VERSION,
          self: config.self.address,
          members,
          bindAddress: node!.address.address,
          httpPort: node!.address.port,
          raftPort: config.raftPort,
          home: config.home,
          pid: process.pid,
          nodeVersion: process.version,
          electronVersion: process.versions.electron,
          parentPid: command.parentPid,
          recovery: node!.storage.recovery,
          raft: { tickMs: raft.tickMs, heartbeatTicks: raft.heartbeatTicks, electionTicks: raft.electionTicks, preVote: raft.preVote, checkQuorum: raft.checkQuorum },
          startupMs: Date.now() - startedAt
        },
        'node-core started'
      )
      loggers.cluster.info(
        {
          self: config.self.address,
          size: members.length,
          members: config.members.map((m) => ({ address: m.address, raftPort: m.raftPort, self: m === config.self }))
        },
        `cluster membership: ${members.join(', ')} (self ${config.self.address})`
      )
      process.stdout.write(`node-core ${config.self.address} ready pid=${process.pid}\n`)
      if (process.send && process.connected) {
        const ready: ReadyMessage = { type: 'node-core.ready', pid: process.pid, address: config.self.address, httpPort: node!.address.port }
        // The lab may be gone already; the disconnect handler deals with that.
        process.send(ready, undefined, undefined, () => {})
      }
    },
    (err: unknown) => {
      const known = err instanceof ListenError || isStorageError(err) || isTransportError(err)
      if (!known) {
        die('startup failed')(err)
        return
      }
      const message = err instanceof Error ? err.message : String(err)
      const code = (err as { code?: string }).code
      log.error({ err, code, errno: err instanceof ListenError ? err.errno : undefined }, message)
      stopping = true
      stopParentWatch()
      void (async () => {
        await node?.close().catch(() => {})
        await transport?.close().catch(() => {})
        await loggers.close()
        fail(message, NODE_EXIT_CODES.failure)
      })()
    }
  )

  process.on('exit', () => {
    // Last resort for paths that exit without closing (sync writes make this a no-op today).
    loggers.flush()
  })
}

main()
