#!/usr/bin/env node
/**
 * Extracts the facts the Envoy router is generated from (packages/tts-catalog/src/envoy/routes.ts): which gRPC services and
 * HTTP paths The Things Stack serves, and which component serves them.
 *
 * Reads two git snapshots with `git show` (no work tree, no dependencies):
 *   - TheThingsNetwork/lorawan-stack: every `service` of api/ttn/lorawan/v3/*.proto with its rpcs, streaming flags and
 *     google.api.http bindings; the services each component registers (RegisterServices / RegisterHandlers); the
 *     non-gRPC HTTP handlers, each confirmed by the source line that registers it.
 *   - TheThingsIndustries/lorawan-stack-docs: the Enterprise services (tti.lorawan.v3) of doc/data/api, and which
 *     component serves them where the docs say so (otherwise recorded as `unconfirmed`).
 * Only facts are copied (names, HTTP methods and paths, flags, source paths), never code.
 *
 * Writes, under packages/tts-catalog/src/api/:
 *   tts-api.generated.ts       three typed documents (one copy of the data; the composite tsconfig of packages/tts
 *                              cannot import JSON):
 *     TTN_LORAWAN_V3           the open-source API of the snapshot
 *     TTI_LORAWAN_V3           the Enterprise API of the docs (and ttn.lorawan.v3 services only the docs know)
 *     COMPONENT_SERVICES       component -> registered services, non-gRPC HTTP handlers, unserved services
 * and formats them with the repository's prettier when it is installed.
 *
 * Re-run (e.g. after fetching newer snapshots):
 *   node scripts/extract-tts-api.mjs \
 *     --stack <git dir of TheThingsNetwork/lorawan-stack> [--stack-ref HEAD] \
 *     --docs <git dir of TheThingsIndustries/lorawan-stack-docs> [--docs-ref HEAD]
 * then review the diff of packages/tts-catalog/src/api/ and run `npx jest packages/tts-catalog/test/envoy`.
 * The script fails when the sources no longer confirm a fact below, or when a service appears that nobody has
 * classified yet (add it to ENTERPRISE_SERVICES or UNSERVED_NOTES).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'packages/tts-catalog/src/api');

const args = parseArgs(process.argv.slice(2), {
  stack: undefined,
  'stack-ref': 'HEAD',
  docs: undefined,
  'docs-ref': 'HEAD',
});
const STACK = {
  dir: args.stack,
  ref: args['stack-ref'],
  repository: 'https://github.com/TheThingsNetwork/lorawan-stack',
};
const DOCS = {
  dir: args.docs,
  ref: args['docs-ref'],
  repository: 'https://github.com/TheThingsIndustries/lorawan-stack-docs',
};

const BOTH = ['open-source', 'enterprise'];
const ENTERPRISE = ['enterprise'];
const PROTO_DIR = 'api/ttn/lorawan/v3';
const DOCS_SERVICES = (pkg) => `doc/data/api/${pkg}/services`;
const DOCS_PAGES = 'doc/content/api/reference/grpc';

/**
 * Components started by `ttn-lw-stack start <id>` (cmd/ttn-lw-stack/commands/start.go, `if start.<flag>`), in the
 * order of the tts-ecs catalog, with the files whose RegisterServices/RegisterHandlers register their services.
 * `via` names the call in another file's RegisterServices that registers a sub-server's services.
 */
const COMPONENTS = [
  { id: 'is', flag: 'IdentityServer', files: ['pkg/identityserver/identityserver.go'] },
  { id: 'gs', flag: 'GatewayServer', files: ['pkg/gatewayserver/gatewayserver.go'] },
  { id: 'ns', flag: 'NetworkServer', files: ['pkg/networkserver/networkserver.go'] },
  {
    id: 'as',
    flag: 'ApplicationServer',
    files: ['pkg/applicationserver/applicationserver.go'],
    subServers: [
      {
        file: 'pkg/applicationserver/io/packages/packages.go',
        via: { file: 'pkg/applicationserver/applicationserver.go', services: 'pkgs.RegisterServices(' },
      },
    ],
  },
  { id: 'js', flag: 'JoinServer', files: ['pkg/joinserver/joinserver.go'] },
  // The Console registers web handlers only (checked below: no RegisterGRPC in console.go).
  { id: 'console', flag: 'Console', files: [], noGrpc: 'pkg/console/console.go' },
  {
    id: 'gcs',
    flag: 'GatewayConfigurationServer',
    files: ['pkg/gatewayconfigurationserver/server.go'],
    subServers: [
      {
        // The Things Gateway Controller managed gateways; registered when ttgc.enabled.
        file: 'pkg/gatewayconfigurationserver/managed/managed.go',
        via: { file: 'pkg/gatewayconfigurationserver/server.go', services: 's.managedServer.RegisterServices(' },
      },
    ],
  },
  { id: 'dcs', flag: 'DeviceClaimingServer', files: ['pkg/deviceclaimingserver/deviceclaimingserver.go'] },
  { id: 'pba', flag: 'PacketBrokerAgent', files: ['pkg/packetbrokeragent/agent.go'] },
  { id: 'dtc', flag: 'DeviceTemplateConverter', files: ['pkg/devicetemplateconverter/devicetemplateconverter.go'] },
  { id: 'qrg', flag: 'QRCodeGenerator', files: ['pkg/qrcodegenerator/qrcodegenerator.go'] },
  { id: 'dr', flag: 'DeviceRepository', files: ['pkg/devicerepository/devicerepository.go'] },
];

const START_GO = 'cmd/ttn-lw-stack/commands/start.go';
/** Services start.go registers on the base component, before any `if start.<flag>`: every process serves them. */
const EVERY_PROCESS = [
  { call: 'c.RegisterGRPC(events_grpc.NewEventsServer(', file: 'pkg/events/grpc/grpc.go' },
  { call: 'c.RegisterGRPC(component.NewConfigurationServer(c))', file: 'pkg/component/configuration_grpc.go' },
];

const ALL_COMPONENT_IDS = COMPONENTS.map((c) => c.id);
/** Order of the tts-ecs catalog (packages/tts-catalog/src/components.ts), which is the routers' order of preference. */
const CATALOG_ORDER = [...ALL_COMPONENT_IDS, 'noc', 'tbs'];

/**
 * HTTP handlers that are not grpc-gateway bindings. `api: true` paths are relative to /api/v3 and are grouped with
 * the bindings; the others are mounts outside /api/v3. `components` is in order of preference. Every evidence line
 * must be present in the named file (whitespace-insensitive), or the script fails.
 */
const WEB_HANDLERS = [
  {
    path: '/oauth',
    components: ['is'],
    note: 'OAuth server and Account app, mounted at the path of is.oauth.ui.canonical-url (default /oauth).',
    evidence: [
      ['pkg/identityserver/identityserver.go', 'c.RegisterWeb(is.oauth)'],
      ['pkg/identityserver/identityserver.go', 'c.RegisterWeb(is.account)'],
      ['cmd/internal/shared/identityserver/config.go', 'Mount: "/oauth"'],
    ],
  },
  {
    path: '/console',
    components: ['console'],
    note: 'Console web app, mounted at the path of console.ui.canonical-url (default /console).',
    evidence: [
      ['pkg/console/console.go', 'c.RegisterWeb(console)'],
      ['cmd/internal/shared/config.go', 'DefaultConsolePublicURL = DefaultPublicURL + "/console"'],
    ],
  },
  {
    path: '/console/internal/events/',
    api: true,
    components: ['console'],
    streaming: true,
    websocket: true,
    note: 'Event stream of the Console over a WebSocket.',
    evidence: [
      ['pkg/console/console.go', 'c.RegisterWeb(events.New(c))'],
      ['pkg/console/internal/events/events.go', 'ttnpb.HTTPAPIPrefix + "/console/internal/events/"'],
      ['pkg/console/internal/events/events.go', 'websocket.Accept('],
    ],
  },
  {
    path: '/as/applications/{application_id}/webhooks/{webhook_id}/devices/{device_id}/down/',
    api: true,
    components: ['as'],
    note: 'Webhook downlink push/replace (registered when webhooks are enabled).',
    evidence: [
      [
        'pkg/applicationserver/io/web/webhooks.go',
        'ttnpb.HTTPAPIPrefix + "/as/applications/{application_id}/webhooks/{webhook_id}/devices/{device_id}/down"',
      ],
      ['pkg/applicationserver/applicationserver.go', 'wh.RegisterRoutes(s)'],
    ],
  },
  {
    path: '/gcs/gateways/{gateway_id}/',
    api: true,
    components: ['gcs'],
    note: 'Gateway configuration files (semtechudp, kerlink-cpf) served outside grpc-gateway.',
    evidence: [
      ['pkg/gatewayconfigurationserver/http.go', 'ttnpb.HTTPAPIPrefix + "/gcs/gateways/{gateway_id}/"'],
      ['pkg/gatewayconfigurationserver/server.go', 'c.RegisterWeb(gcs)'],
    ],
  },
  {
    path: '/update-info',
    components: ['gcs'],
    note: 'LoRa Basics Station CUPS.',
    evidence: [
      ['pkg/basicstation/cups/server.go', 'router.Path("/update-info")'],
      ['pkg/basicstation/cups/config.go', 'c.RegisterWeb(s)'],
      ['pkg/gatewayconfigurationserver/server.go', 'conf.BasicStation.NewServer(c)'],
    ],
  },
  {
    path: '/api/v2/',
    components: ['gcs'],
    note: 'The Things Kickstarter Gateway: /api/v2/gateways/{gateway_id} and /api/v2/frequency-plans/{id}.',
    evidence: [
      ['pkg/gatewayconfigurationserver/ttkg/server.go', '"/api/v2/gateways/{gateway_id}"'],
      ['pkg/gatewayconfigurationserver/ttkg/server.go', '"/api/v2/frequency-plans/{frequency_plan_id}"'],
      ['pkg/gatewayconfigurationserver/server.go', 'ttkg.New(c, '],
    ],
  },
  {
    path: '/assets/',
    components: ['console', 'is', ...ALL_COMPONENT_IDS.filter((c) => c !== 'console' && c !== 'is')],
    note: 'Every component serves the static files of its image at http.static.mount (default /assets); the web apps that load them come first.',
    evidence: [
      ['pkg/component/web.go', 'web.WithStatic(c.config.HTTP.Static.Mount, c.config.HTTP.Static.SearchPath...)'],
      ['cmd/internal/shared/config.go', 'Mount: "/assets"'],
    ],
  },
  {
    path: '/',
    components: ['console', 'is'],
    note: 'start redirects / to the Console mount, or to the Account app when the Console does not run in the process.',
    evidence: [
      [START_GO, 'rootRedirect = web.Redirect("/", http.StatusFound, accountAppMount)'],
      [START_GO, 'rootRedirect = web.Redirect("/", http.StatusFound, consoleMount)'],
    ],
  },
  {
    path: '/noc',
    components: ['noc'],
    editions: ENTERPRISE,
    repo: 'docs',
    websocket: true,
    note: 'Network Operations Center web app (noc.mount); the official ECS proxy routes its Grafana WebSockets.',
    evidence: [
      ['doc/content/enterprise/management/configuration/network-operations-center.md', '`noc.mount`'],
      ['doc/content/enterprise/aws/ecs/database-operations/_index.md', '`https://${DOMAIN}/noc`'],
      [
        'doc/content/enterprise/aws/ecs/changelog/index.md',
        'Add Network Operations Center Grafana WebSocket paths support.',
      ],
    ],
  },
];

/**
 * Who serves the services only the docs describe. `basis: 'docs'` when the docs name the component;
 * `unconfirmed` when they do not, with the reason for the chosen component.
 */
const ENTERPRISE_SERVICES = [
  {
    service: 'tti.lorawan.v3.TenantRegistry',
    component: 'is',
    basis: 'docs',
    note: 'Tenant APIs authenticate with the tenant admin key configured in the Identity Server.',
    evidence: [[`${DOCS_PAGES}/tenant.md`, 'configured in the Identity Server']],
  },
  {
    service: 'tti.lorawan.v3.TenantAccess',
    component: 'is',
    basis: 'unconfirmed',
    note: 'No reference page names its server; it shares the /tenants/ paths of TenantRegistry.',
    evidence: [[`${DOCS_SERVICES('tti.lorawan.v3')}/TenantAccess.yml`, 'path: /tenants/']],
  },
  {
    service: 'tti.lorawan.v3.EntityRegistrySearch',
    component: 'is',
    basis: 'unconfirmed',
    note: 'The docs do not name its server; it extends ttn.lorawan.v3.EntityRegistrySearch (registered by the Identity Server) with tenant and label search under /search/.',
    evidence: [[`${DOCS_PAGES}/tenant.md`, 'service="EntityRegistrySearch" method="SearchTenants"']],
  },
  {
    service: 'tti.lorawan.v3.AuthenticationProviderRegistry',
    component: 'is',
    basis: 'docs',
    note: 'Listed on the Identity Server APIs page; the architecture page says the IS stores authentication providers.',
    evidence: [
      [`${DOCS_PAGES}/identity_server.md`, 'service="AuthenticationProviderRegistry"'],
      ['doc/content/concepts/architecture/_index.md', 'OAuth clients and authentication providers'],
    ],
  },
  {
    service: 'tti.lorawan.v3.ExternalUserRegistry',
    component: 'is',
    basis: 'unconfirmed',
    note: 'Listed on the User APIs page without a server; its paths are under /authentication_providers/ like AuthenticationProviderRegistry.',
    evidence: [[`${DOCS_PAGES}/user.md`, 'service="ExternalUserRegistry"']],
  },
  {
    service: 'tti.lorawan.v3.LabelRegistry',
    component: 'is',
    basis: 'unconfirmed',
    note: 'EXPERIMENTAL and on no reference page; labels are entity metadata, assumed to live in the entity registry (IS).',
    evidence: [[`${DOCS_SERVICES('tti.lorawan.v3')}/LabelRegistry.yml`, 'path: /labels']],
  },
  {
    service: 'tti.lorawan.v3.AlertNotificationProfileRegistry',
    component: 'is',
    basis: 'docs',
    note: 'Service comment: exposed by the Identity Server.',
    evidence: [
      [`${DOCS_SERVICES('tti.lorawan.v3')}/AlertNotificationProfileRegistry.yml`, 'exposed by the Identity Server'],
    ],
  },
  {
    service: 'tti.lorawan.v3.AlertNotificationReceiverRegistry',
    component: 'is',
    basis: 'docs',
    note: 'Service comment: exposed by the Identity Server.',
    evidence: [
      [`${DOCS_SERVICES('tti.lorawan.v3')}/AlertNotificationReceiverRegistry.yml`, 'exposed by the Identity Server'],
    ],
  },
  {
    service: 'tti.lorawan.v3.Tbs',
    component: 'tbs',
    basis: 'docs',
    note: 'Service comment: manages the Tenant Billing Server metering reporting.',
    evidence: [[`${DOCS_SERVICES('tti.lorawan.v3')}/Tbs.yml`, 'Tenant Billing Server metering reporting']],
  },
  {
    service: 'tti.lorawan.v3.Noc',
    component: 'noc',
    basis: 'docs',
    note: 'The Network Operations Center APIs page.',
    evidence: [[`${DOCS_PAGES}/network_operations_center.md`, 'List of Network Operations Center APIs.']],
  },
  {
    service: 'ttn.lorawan.v3.ApplicationUpStorage',
    component: 'as',
    basis: 'docs',
    note: 'Storage Integration (Enterprise): "runs on the Application Server". Its proto is public, no open-source component registers it.',
    evidence: [
      ['doc/content/integrations/storage/_index.md', 'The Storage Integration runs on the Application Server'],
    ],
  },
  {
    service: 'ttn.lorawan.v3.AzureIoTHubService',
    component: 'as',
    basis: 'unconfirmed',
    note: 'Azure IoT Hub application package (Enterprise, not in the snapshot); application packages run in the AS and its path is under /as/.',
    evidence: [[`${DOCS_PAGES}/application_packages.md`, 'service="AzureIoTHubService"']],
  },
  {
    service: 'ttn.lorawan.v3.NsMACSettingsProfileRegistry',
    component: 'ns',
    editions: BOTH,
    basis: 'unconfirmed',
    note: 'Added in TTS 3.33.0 ("Support for managing MAC settings profiles"), after the lorawan-stack snapshot; its paths are under /ns/.',
    evidence: [['doc/content/whats-new/3.33.0.md', 'Support for managing MAC settings profiles.']],
  },
];

/** Why a service of the API is not routed. A service missing from here and from every registration fails the run. */
const UNSERVED_NOTES = {
  'ttn.lorawan.v3.NetworkCryptoService':
    'Implemented by external crypto servers (key vaults) that the Join Server calls; TTS does not serve it.',
  'ttn.lorawan.v3.ApplicationCryptoService':
    'Implemented by external crypto servers (key vaults) that the Join Server calls; TTS does not serve it.',
  'tti.lorawan.v3.Ars':
    'Served by the Alert Routing Server (doc/content/concepts/architecture/components/alert-routing-server.md, new in 3.30), which tts-ecs does not deploy, although the API reference lists it on the Identity Server APIs page.',
};

main();

function main() {
  const stackSource = sourceOf(STACK, [`${PROTO_DIR}/*.proto`]);
  const docsSource = sourceOf(DOCS, [
    `${DOCS_SERVICES('tti.lorawan.v3')}/*.yml`,
    `${DOCS_SERVICES('ttn.lorawan.v3')}/*.yml`,
  ]);

  const ttn = {
    source: stackSource,
    package: 'ttn.lorawan.v3',
    httpPrefix: httpPrefix(),
    services: protoServices(),
  };
  const docsTtn = docsServices('ttn.lorawan.v3');
  const known = new Set(ttn.services.map((s) => s.name));
  const tti = {
    source: docsSource,
    package: 'tti.lorawan.v3',
    services: docsServices('tti.lorawan.v3'),
    ttnServicesOnlyInDocs: docsTtn.filter((s) => !known.has(s.name)),
  };
  const registrations = componentServices(stackSource, docsSource, ttn, tti);

  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, 'tts-api.generated.ts'), typescriptModule(ttn, tti, registrations));
  formatWithPrettier([join(OUT_DIR, 'tts-api.generated.ts')]);

  report(ttn, tti, registrations, docsTtn);
}

// ---------------------------------------------------------------------------------------------------------------
// Sources

function git(repo, ...gitArgs) {
  return execFileSync('git', ['-C', repo.dir, ...gitArgs], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function show(repo, path) {
  return git(repo, 'show', `${repo.ref}:${path}`);
}

function listDir(repo, dir) {
  return git(repo, 'ls-tree', '--name-only', repo.ref, `${dir}/`).split('\n').filter(Boolean);
}

function sourceOf(repo, paths) {
  const commit = git(repo, 'rev-parse', repo.ref).trim();
  let ref;
  try {
    ref = git(repo, 'describe', '--tags', commit).trim();
  } catch {
    ref = git(repo, 'rev-parse', '--abbrev-ref', repo.ref).trim();
  }
  const date = git(repo, 'log', '-1', '--format=%cs', commit).trim();
  return { repository: repo.repository, commit, ref, date, paths };
}

/** Fails unless `needle` occurs in the file (whitespace-insensitive). Returns the path, to cite it. */
function confirm(repo, path, needle) {
  const squash = (s) => s.replace(/\s+/g, ' ');
  if (!squash(show(repo, path)).includes(squash(needle))) {
    throw new Error(`${repo.repository}@${repo.ref}:${path} no longer contains ${JSON.stringify(needle)}`);
  }
  return path;
}

// ---------------------------------------------------------------------------------------------------------------
// Protocol buffers

function httpPrefix() {
  confirm(STACK, 'pkg/ttnpb/http.go', 'const HTTPAPIPrefix = "/api/v3"');
  // grpc-gateway is mounted under the prefix with the prefix stripped.
  confirm(
    STACK,
    'pkg/component/component.go',
    'c.web.Prefix(ttnpb.HTTPAPIPrefix + "/").Handler(http.StripPrefix(ttnpb.HTTPAPIPrefix, c.GRPC))',
  );
  return '/api/v3';
}

function protoServices() {
  const services = [];
  for (const file of listDir(STACK, PROTO_DIR).filter((f) => f.endsWith('.proto'))) {
    const parsed = parseProto(show(STACK, file));
    if (parsed.services.length > 0 && parsed.package !== 'ttn.lorawan.v3') {
      throw new Error(`${file}: unexpected package ${parsed.package}`);
    }
    for (const s of parsed.services) services.push({ name: s.name, file, rpcs: s.rpcs });
  }
  return services.sort((a, b) => a.name.localeCompare(b.name));
}

/** Tokens of a .proto file without comments: words, strings (unquoted) and punctuation. */
function protoTokens(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (text.startsWith('/*', i)) {
      i = text.indexOf('*/', i) + 2;
    } else if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      while (text[j] !== c) {
        if (text[j] === '\\') j++;
        value += text[j++];
      }
      tokens.push({ type: 'string', value });
      i = j + 1;
    } else if (/[A-Za-z0-9_.+-]/.test(c)) {
      const m = /^[A-Za-z0-9_.+-]+/.exec(text.slice(i, i + 200));
      tokens.push({ type: 'word', value: m[0] });
      i += m[0].length;
    } else {
      tokens.push({ type: 'punct', value: c });
      i++;
    }
  }
  return tokens;
}

function parseProto(text) {
  const t = protoTokens(text);
  const isWord = (k, v) => t[k] && t[k].type === 'word' && t[k].value === v;
  const isPunct = (k, v) => t[k] && t[k].type === 'punct' && t[k].value === v;
  const expect = (k, v) => {
    if (!isPunct(k, v)) throw new Error(`expected "${v}" at token ${k}, got ${JSON.stringify(t[k])}`);
    return k + 1;
  };
  /** Index after the statement or block that starts at k. */
  const skipStatement = (k) => {
    let depth = 0;
    for (; k < t.length; k++) {
      if (isPunct(k, '{')) depth++;
      else if (isPunct(k, '}')) {
        depth--;
        if (depth === 0) return isPunct(k + 1, ';') ? k + 2 : k + 1;
      } else if (isPunct(k, ';') && depth === 0) return k + 1;
    }
    return k;
  };
  /** A text-format message literal `{ key: value ... }` as [key, value] pairs; values are strings or pairs. */
  const literal = (k) => {
    k = expect(k, '{');
    const pairs = [];
    while (!isPunct(k, '}')) {
      let key;
      if (isPunct(k, '[')) {
        const close = t.findIndex((x, idx) => idx > k && x.type === 'punct' && x.value === ']');
        key = t
          .slice(k + 1, close)
          .map((x) => x.value)
          .join('');
        k = close + 1;
      } else {
        key = t[k++].value;
      }
      if (isPunct(k, ':')) k++;
      const values = [];
      const one = () => {
        if (isPunct(k, '{')) {
          const [v, next] = literal(k);
          k = next;
          return v;
        }
        if (t[k].type !== 'string') return t[k++].value;
        // Adjacent string literals concatenate.
        let v = '';
        while (t[k].type === 'string') v += t[k++].value;
        return v;
      };
      if (isPunct(k, '[')) {
        k++;
        while (!isPunct(k, ']')) {
          values.push(one());
          if (isPunct(k, ',')) k++;
        }
        k++;
      } else {
        values.push(one());
      }
      for (const v of values) pairs.push([key, v]);
      if (isPunct(k, ',') || isPunct(k, ';')) k++;
    }
    return [pairs, k + 1];
  };
  const bindings = (pairs) =>
    pairs.flatMap(([key, value]) => {
      if (['get', 'put', 'post', 'delete', 'patch'].includes(key)) return [{ method: key.toUpperCase(), path: value }];
      if (key === 'custom') {
        const get = (name) => value.find(([k]) => k === name)[1];
        return [{ method: get('kind').toUpperCase(), path: get('path') }];
      }
      if (key === 'additional_bindings') return bindings(value);
      return [];
    });
  const rpc = (k) => {
    const name = t[k + 1].value;
    k = expect(k + 2, '(');
    const clientStreaming = isWord(k, 'stream');
    if (clientStreaming) k++;
    k = expect(k + 1, ')');
    if (!isWord(k, 'returns')) throw new Error(`rpc ${name}: expected returns`);
    k = expect(k + 1, '(');
    const serverStreaming = isWord(k, 'stream');
    if (serverStreaming) k++;
    k = expect(k + 1, ')');
    const http = [];
    if (isPunct(k, '{')) {
      k++;
      while (!isPunct(k, '}')) {
        if (isWord(k, 'option')) {
          const eq = t.findIndex((x, idx) => idx > k && x.type === 'punct' && x.value === '=');
          const option = t
            .slice(k + 1, eq)
            .map((x) => x.value)
            .join('');
          if (option === '(google.api.http)') {
            const [pairs, next] = literal(eq + 1);
            http.push(...bindings(pairs));
            k = expect(next, ';');
          } else {
            k = skipStatement(k);
          }
        } else if (isPunct(k, ';')) {
          k++;
        } else {
          throw new Error(`rpc ${name}: unexpected ${JSON.stringify(t[k])}`);
        }
      }
      k++;
    }
    if (isPunct(k, ';')) k++;
    return [{ name, clientStreaming, serverStreaming, http }, k];
  };

  let pkg;
  const services = [];
  for (let k = 0; k < t.length;) {
    if (isWord(k, 'package')) {
      pkg = t[k + 1].value;
      k += 3;
    } else if (isWord(k, 'service')) {
      const service = { name: t[k + 1].value, rpcs: [] };
      k = expect(k + 2, '{');
      while (!isPunct(k, '}')) {
        if (isWord(k, 'rpc')) {
          const [r, next] = rpc(k);
          service.rpcs.push(r);
          k = next;
        } else {
          k = skipStatement(k);
        }
      }
      services.push(service);
      k++;
    } else {
      k = skipStatement(k);
    }
  }
  return { package: pkg, services };
}

// ---------------------------------------------------------------------------------------------------------------
// Docs API data (doc/data/api/<package>/services/*.yml, all in one fixed YAML shape)

function docsServices(pkg) {
  const pages = listDir(DOCS, DOCS_PAGES).filter((f) => f.endsWith('.md'));
  const pageText = Object.fromEntries(pages.map((p) => [p, show(DOCS, p)]));
  return listDir(DOCS, DOCS_SERVICES(pkg))
    .filter((f) => f.endsWith('.yml'))
    .map((file) => {
      const service = parseServiceYaml(show(DOCS, file));
      const packageAttr = pkg === 'ttn.lorawan.v3' ? '' : `package="${pkg}" `;
      const mention = `{{< proto/method ${packageAttr}service="${service.name}"`;
      return {
        name: service.name,
        file,
        pages: pages.filter((p) => pageText[p].includes(mention)),
        rpcs: service.rpcs,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The service YAML of the docs: name, methods.<m>.{input,output}.stream, methods.<m>.http[].{method,path}. */
function parseServiceYaml(text) {
  const lines = text.split('\n');
  const indentOf = (l) => l.length - l.trimStart().length;
  const unquote = (v) =>
    v
      .trim()
      .replace(/^'(.*)'$/, '$1')
      .replace(/^"(.*)"$/, '$1');
  let name;
  const rpcs = [];
  let rpc;
  let section;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) continue;
    const indent = indentOf(line);
    const item = line.trim().startsWith('- ');
    const [key, ...rest] = line.trim().replace(/^- /, '').split(':');
    const value = rest.join(':').trim();
    if (key === 'comment') {
      // Multi-line comments continue on deeper-indented lines.
      while (i + 1 < lines.length && (!lines[i + 1].trim() || indentOf(lines[i + 1]) > indent)) i++;
      continue;
    }
    if (indent === 0 && key === 'name') name = value;
    else if (indent === 2) {
      rpc = { name: key, clientStreaming: false, serverStreaming: false, http: [] };
      rpcs.push(rpc);
    } else if (indent === 4 && !item) section = key;
    else if (indent === 6 && key === 'stream' && value === 'true') {
      if (section === 'input') rpc.clientStreaming = true;
      if (section === 'output') rpc.serverStreaming = true;
    } else if (section === 'http' && item && key === 'method') rpc.http.push({ method: unquote(value), path: '' });
    else if (section === 'http' && key === 'path') rpc.http[rpc.http.length - 1].path = unquote(value);
  }
  // A binding without path is the empty primary binding of an rpc that has only additional_bindings.
  for (const r of rpcs) r.http = r.http.filter((h) => h.path !== '');
  if (!name) throw new Error('service YAML without name');
  return { name, rpcs };
}

// ---------------------------------------------------------------------------------------------------------------
// Registrations

/** The body of `func (...) <name>(` in Go source, with the brace depth at each offset (0 = function body). */
function goFunction(src, name, file) {
  const m = new RegExp(`func \\([^)]*\\) ${name}\\(`).exec(src);
  if (!m) throw new Error(`${file}: no ${name}`);
  const open = src.indexOf('{', m.index + m[0].length);
  const depth = [];
  let d = 0;
  for (let i = open + 1; i < src.length; i++) {
    const c = src[i];
    if (src.startsWith('//', i)) {
      const end = src.indexOf('\n', i);
      while (i < end) depth[i++ - open - 1] = d;
    } else if (c === '"' || c === '`' || c === "'") {
      const start = i;
      i = endOfGoLiteral(src, i);
      for (let k = start; k <= i; k++) depth[k - open - 1] = d;
      continue;
    } else if (c === '{') d++;
    else if (c === '}') {
      if (d === 0) return { body: src.slice(open + 1, i), depth };
      d--;
    }
    depth[i - open - 1] = d;
  }
  throw new Error(`${file}: unterminated ${name}`);
}

/** `ttnpb.Register<Service><kind>(` calls of a function; nested ones (inside if/for) are conditional. */
function registerCalls(file, func, kind) {
  const { body, depth } = goFunction(show(STACK, file), func, file);
  const calls = [];
  const re = new RegExp(`ttnpb\\.Register(\\w+)${kind}\\(`, 'g');
  for (let m; (m = re.exec(body));) calls.push({ service: `ttn.lorawan.v3.${m[1]}`, conditional: depth[m.index] > 0 });
  return calls;
}

function callIsConditional(file, func, call) {
  const { body, depth } = goFunction(show(STACK, file), func, file);
  const at = body.indexOf(call);
  if (at < 0) throw new Error(`${file}: ${func} no longer calls ${call}`);
  return depth[at] > 0;
}

/** Services of a Go file: gRPC from RegisterServices, grpc-gateway (HTTP) from RegisterHandlers. */
function servicesOfFile(file, origin, inheritedConditional = false) {
  const handlers = new Map(registerCalls(file, 'RegisterHandlers', 'Handler').map((c) => [c.service, c.conditional]));
  return registerCalls(file, 'RegisterServices', 'Server').map((c) => ({
    service: c.service,
    origin,
    gateway: handlers.has(c.service),
    conditional: inheritedConditional || c.conditional,
    editions: BOTH,
    basis: 'code',
    source: file,
  }));
}

/** Services of a component's package (its files and the sub-servers they register). */
function servicesOfComponent(component, origin) {
  for (const f of component.files) confirm(STACK, f, 'c.RegisterGRPC(');
  const own = component.files.flatMap((f) => servicesOfFile(f, origin));
  const sub = (component.subServers ?? []).flatMap((s) =>
    servicesOfFile(s.file, origin, callIsConditional(s.via.file, 'RegisterServices', s.via.services)).map((r) => ({
      ...r,
      source: `${s.via.file} -> ${s.file}`,
    })),
  );
  return [...own, ...sub];
}

function everyProcessServices() {
  const start = show(STACK, START_GO);
  const base = goFunctionDepthAt(start, 'component.New(logger');
  return EVERY_PROCESS.flatMap(({ call, file }) => {
    if (goFunctionDepthAt(start, call) !== base) throw new Error(`${START_GO}: ${call} is no longer unconditional`);
    return servicesOfFile(file, 'base').map((s) => ({ ...s, source: `${START_GO} -> ${file}` }));
  });
}

/** The `start` flags each argument of `ttn-lw-stack start <arg>` sets (e.g. `dcs` also starts DTC and QRG). */
function startFlags() {
  const start = show(STACK, START_GO);
  const flags = new Map();
  const re = /case ((?:"[^"]+",?\s*)+):([\s\S]*?)(?=\bcase\b|\bdefault:)/g;
  for (let m; (m = re.exec(start));) {
    const set = [...m[2].matchAll(/start\.(\w+) = true/g)].map((x) => x[1]);
    for (const arg of m[1].match(/"[^"]+"/g)) flags.set(arg.slice(1, -1), set);
  }
  return flags;
}

/** Brace depth of the first occurrence of `needle` in a Go file (strings and comments skipped). */
function goFunctionDepthAt(src, needle) {
  const at = src.indexOf(needle);
  if (at < 0) throw new Error(`${START_GO}: no ${needle}`);
  let d = 0;
  for (let i = 0; i < at; i++) {
    const c = src[i];
    if (src.startsWith('//', i)) {
      i = src.indexOf('\n', i);
    } else if (c === '"' || c === '`' || c === "'") {
      i = endOfGoLiteral(src, i);
    } else if (c === '{') {
      d++;
    } else if (c === '}') {
      d--;
    }
  }
  return d;
}

/** Index of the closing quote of the Go string, raw string or rune literal that opens at `i`. */
function endOfGoLiteral(src, i) {
  const quote = src[i];
  for (i++; src[i] !== quote; i++) {
    if (src[i] === '\\' && quote !== '`') i++;
  }
  return i;
}

function componentServices(stackSource, docsSource, ttn, tti) {
  const startGo = show(STACK, START_GO);
  const every = everyProcessServices();
  const flagsOf = startFlags();
  const components = COMPONENTS.map((c) => {
    if (!startGo.includes(`if start.${c.flag} {`)) throw new Error(`${START_GO}: no "if start.${c.flag}"`);
    if (c.noGrpc && show(STACK, c.noGrpc).includes('RegisterGRPC(')) throw new Error(`${c.noGrpc} registers gRPC now`);
    const flags = flagsOf.get(c.id) ?? [];
    if (!flags.includes(c.flag)) throw new Error(`${START_GO}: "start ${c.id}" no longer sets start.${c.flag}`);
    const own = servicesOfComponent(c, 'component');
    // Components the same `start <id>` also starts serve from this process too.
    const coStarted = COMPONENTS.filter((o) => o !== c && flags.includes(o.flag)).flatMap((o) =>
      servicesOfComponent(o, 'co-started').map((r) => ({ ...r, source: `${START_GO} (start ${c.id}) -> ${r.source}` })),
    );
    return { id: c.id, services: [...own, ...coStarted, ...every] };
  });
  // Enterprise components and Enterprise services of the open-source components, from the docs.
  const docsOnly = new Map(tti.ttnServicesOnlyInDocs.map((s) => [`ttn.lorawan.v3.${s.name}`, s]));
  const ttiNames = new Set(tti.services.map((s) => `tti.lorawan.v3.${s.name}`));
  const ttnNames = new Set(ttn.services.map((s) => `ttn.lorawan.v3.${s.name}`));
  for (const e of ENTERPRISE_SERVICES) {
    if (!ttiNames.has(e.service) && !ttnNames.has(e.service) && !docsOnly.has(e.service)) {
      throw new Error(`${e.service} is in no API data any more`);
    }
    const source = e.evidence.map(([path, needle]) => confirm(DOCS, path, needle)).join(', ');
    let entry = components.find((c) => c.id === e.component);
    if (!entry) components.push((entry = { id: e.component, services: [] }));
    entry.services.push({
      service: e.service,
      origin: 'component',
      gateway: true,
      conditional: false,
      editions: e.editions ?? ENTERPRISE,
      basis: e.basis,
      source,
      note: e.note,
    });
  }

  components.sort((a, b) => CATALOG_ORDER.indexOf(a.id) - CATALOG_ORDER.indexOf(b.id));
  const registered = new Set(components.flatMap((c) => c.services.map((s) => s.service)));
  const all = [...ttnNames, ...ttiNames, ...docsOnly.keys()];
  const unserved = all
    .filter((s) => !registered.has(s))
    .map((service) => {
      if (!UNSERVED_NOTES[service]) {
        throw new Error(`${service}: no component registers it; classify it in ENTERPRISE_SERVICES or UNSERVED_NOTES`);
      }
      return { service, note: UNSERVED_NOTES[service] };
    });

  const web = WEB_HANDLERS.map((w) => {
    const repo = w.repo === 'docs' ? DOCS : STACK;
    const source = [...new Set(w.evidence.map(([path, needle]) => confirm(repo, path, needle)))];
    return {
      path: w.path,
      api: w.api ?? false,
      components: w.components,
      editions: w.editions ?? BOTH,
      basis: w.repo === 'docs' ? 'docs' : 'code',
      streaming: w.streaming ?? false,
      websocket: w.websocket ?? false,
      source,
      note: w.note,
    };
  });
  return { source: stackSource, docsSource, components, web, unserved };
}

// ---------------------------------------------------------------------------------------------------------------
// Output

function typescriptModule(ttn, tti, registrations) {
  const json = (v) => JSON.stringify(v, null, 2);
  return [
    '// Generated by scripts/extract-tts-api.mjs from the TTS sources named below. Do not edit; re-run the script.',
    "import { ApiPackage, ComponentServices, DocsApiPackage } from './types';",
    '',
    `export const TTN_LORAWAN_V3: ApiPackage = ${json(ttn)};`,
    '',
    `export const TTI_LORAWAN_V3: DocsApiPackage = ${json(tti)};`,
    '',
    `export const COMPONENT_SERVICES: ComponentServices = ${json(registrations)};`,
    '',
  ].join('\n');
}

function formatWithPrettier(paths) {
  const prettier = join(ROOT, 'node_modules/.bin/prettier');
  if (!existsSync(prettier)) {
    console.warn(
      'prettier is not installed; run `npx prettier --write packages/tts-catalog/src/api` before committing',
    );
    return;
  }
  const result = spawnSync(prettier, ['--write', ...paths], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('prettier failed');
}

function report(ttn, tti, registrations, docsTtn) {
  const count = (services) => ({
    services: services.length,
    rpcs: services.reduce((n, s) => n + s.rpcs.length, 0),
    http: services.reduce((n, s) => n + s.rpcs.reduce((m, r) => m + r.http.length, 0), 0),
  });
  console.log(`ttn.lorawan.v3 @ ${ttn.source.ref}:`, count(ttn.services));
  console.log(`tti.lorawan.v3 @ docs ${tti.source.date}:`, count(tti.services));
  console.log('ttn.lorawan.v3 only in the docs:', tti.ttnServicesOnlyInDocs.map((s) => s.name).join(', ') || '-');
  console.log('unserved:', registrations.unserved.map((u) => u.service).join(', ') || '-');
  // Cross-check: the docs (a newer TTS) against the snapshot, per service.
  const snapshot = new Map(ttn.services.map((s) => [s.name, s]));
  for (const d of docsTtn) {
    const s = snapshot.get(d.name);
    if (!s) continue;
    const paths = (x) => new Set(x.rpcs.flatMap((r) => r.http.map((h) => `${h.method} ${h.path}`)));
    const [a, b] = [paths(s), paths(d)];
    const added = [...b].filter((p) => !a.has(p));
    const removed = [...a].filter((p) => !b.has(p));
    if (added.length || removed.length) {
      console.log(`docs vs snapshot ${d.name}: +${added.length} -${removed.length}`, [
        ...added,
        ...removed.map((r) => `-${r}`),
      ]);
    }
  }
}

function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in defaults) || argv[i + 1] === undefined) {
      throw new Error(
        `usage: node scripts/extract-tts-api.mjs ${Object.keys(defaults)
          .map((k) => `[--${k} <value>]`)
          .join(' ')}`,
      );
    }
    out[key] = argv[i + 1];
  }
  for (const [key, value] of Object.entries(out))
    if (value === undefined) throw new Error(`--${key} is required: a git clone (or bare snapshot) of that repository`);
  return out;
}
