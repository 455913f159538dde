// Starts @atproto/dev-env's TestNetwork (PLC, PDS, AppView, Ozone) on 127.0.0.1 only, prints
// one JSON line with the base URLs when it is ready, and stops when standard input closes.
// Run by tests/servers/bluesky-dev-env (which sets NODE_PATH, DB_POSTGRES_URL, REDIS_HOST).
'use strict'

const net = require('node:net')
const dns = require('node:dns')

// Every service calls `listen(port)`, which would bind every interface: keep them on loopback.
const LOOPBACK = '127.0.0.1'
const wildcard = (host) => host === undefined || host === null || host === '' || host === '0.0.0.0' || host === '::'
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const first = args[0]
  if (first === undefined || typeof first === 'function') {
    args.unshift(0, LOOPBACK)
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] !== 'string') args.splice(1, 0, LOOPBACK)
    else if (wildcard(args[1])) args[1] = LOOPBACK
  } else if (first && typeof first === 'object' && first.path === undefined && first.fd === undefined &&
    !(first instanceof net.Server) && first._handle === undefined && wildcard(first.host)) {
    args[0] = { ...first, host: LOOPBACK }
  }
  return listen.apply(this, args)
}
// The services call each other at http://localhost:PORT.
dns.setDefaultResultOrder('ipv4first')

const loopbackUrl = (url) => url.replace('//localhost:', '//127.0.0.1:')

async function main() {
  const started = Date.now()
  const { TestNetwork } = require('@atproto/dev-env')
  const network = await TestNetwork.create({ dbPostgresSchema: process.env.DB_POSTGRES_SCHEMA })
  let closing = false
  const close = async (code) => {
    if (closing) return
    closing = true
    try {
      await network.close()
    } catch (err) {
      console.error('closing the network:', err)
      code = code || 1
    }
    process.exit(code)
  }
  process.on('SIGTERM', () => close(0))
  process.on('SIGINT', () => close(0))
  process.stdin.on('end', () => close(0))
  process.stdin.on('error', () => close(0))
  process.stdin.resume()
  const ready = {
    pds: loopbackUrl(network.pds.url),
    appview: loopbackUrl(network.bsky.url),
    plc: loopbackUrl(network.plc.url),
    ozone: loopbackUrl(network.ozone.url),
    pdsDid: network.pds.ctx.cfg.service.did,
    appviewDid: network.bsky.ctx.cfg.serverDid,
    startupMs: Date.now() - started,
  }
  process.stdout.write(JSON.stringify(ready) + '\n')
}

main().catch((err) => {
  console.error('bluesky-dev-env: the network did not start:', err)
  process.exit(1)
})
