// Entry of the standalone proxy host bundle (out/proxy-host/index.cjs).
import { runProxyHost } from './host-main'

runProxyHost()
