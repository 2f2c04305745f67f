/**
 * The NAT scenario's addresses and interface names (topology.ts), apart from the code
 * that builds it so that agent.ts, which starts the client first and fast, loads nothing more:
 *
 *     client c0 10.0.1.2 ── r-c 10.0.1.1 [router] r-s 10.0.2.1 ── s0 10.0.2.2 server
 */
export const natAddresses = {client: '10.0.1.2', routerClientSide: '10.0.1.1', routerServerSide: '10.0.2.1', server: '10.0.2.2'} as const;
/** The client's interface, the router's towards the client and towards the server, the server's. */
export const natLinks = {client: 'c0', routerClientSide: 'r-c', routerServerSide: 'r-s', server: 's0'} as const;
