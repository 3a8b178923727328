import { ComponentId, Edition } from '../components';

/**
 * Shapes of the API data extracted by scripts/extract-tts-api.mjs (the JSON files of this folder and their typed
 * copy, tts-api.generated.ts). Only facts: names, HTTP methods and paths, streaming flags, source paths.
 */

/** The git snapshot a document was extracted from. */
export interface ApiSource {
  readonly repository: string;
  readonly commit: string;
  /** `git describe` of the commit, or its branch when the repository has no tags. */
  readonly ref: string;
  /** Commit date, YYYY-MM-DD. */
  readonly date: string;
  /** Files the document was read from, relative to the repository. */
  readonly paths: readonly string[];
}

/** A google.api.http binding; the path is relative to the grpc-gateway prefix (`/api/v3`). */
export interface HttpBinding {
  readonly method: string;
  readonly path: string;
}

export interface ApiRpc {
  readonly name: string;
  readonly clientStreaming: boolean;
  readonly serverStreaming: boolean;
  readonly http: readonly HttpBinding[];
}

export interface ApiService {
  /** Unqualified name, e.g. `AppAs`. */
  readonly name: string;
  /** The .proto (or docs .yml) file that defines it. */
  readonly file: string;
  readonly rpcs: readonly ApiRpc[];
}

/** A service of the docs API data, with the API reference pages that list it. */
export interface DocsApiService extends ApiService {
  readonly pages: readonly string[];
}

/** The services of one protobuf package at one commit (TTN_LORAWAN_V3). */
export interface ApiPackage {
  readonly source: ApiSource;
  readonly package: string;
  /** Where the grpc-gateway serves the HTTP bindings. */
  readonly httpPrefix: string;
  readonly services: readonly ApiService[];
}

/** The Enterprise services of the docs (TTI_LORAWAN_V3). */
export interface DocsApiPackage {
  readonly source: ApiSource;
  readonly package: string;
  readonly services: readonly DocsApiService[];
  /** ttn.lorawan.v3 services the docs describe but the lorawan-stack snapshot lacks (newer or Enterprise-only). */
  readonly ttnServicesOnlyInDocs: readonly DocsApiService[];
}

/** `code`: read in the TTS source. `docs`: the docs say so. `unconfirmed`: inferred, the docs do not say. */
export type Basis = 'code' | 'docs' | 'unconfirmed';

/**
 * Why a component's process serves a service. `component`: the component's own package registers it. `co-started`:
 * its start command starts another component too (`start dcs` also starts DTC and QRG). `base`: every `start`
 * process registers it on the base component (Events, Configuration).
 */
export type RegistrationOrigin = 'component' | 'co-started' | 'base';

/** A service a component registers (RegisterServices), and whether it serves its HTTP bindings (RegisterHandlers). */
export interface ServiceRegistration {
  /** Fully qualified, e.g. `ttn.lorawan.v3.AppAs`. */
  readonly service: string;
  readonly origin: RegistrationOrigin;
  /** The component serves the service's HTTP bindings through grpc-gateway. */
  readonly gateway: boolean;
  /** Registered inside an if/for of RegisterServices: depends on configuration (e.g. webhooks, ttgc.enabled). */
  readonly conditional: boolean;
  readonly editions: readonly Edition[];
  readonly basis: Basis;
  /** Source file(s) the fact was read from (`a -> b`: a calls the registration in b). */
  readonly source: string;
  readonly note?: string;
}

export interface ComponentRegistrations {
  readonly id: ComponentId;
  readonly services: readonly ServiceRegistration[];
}

/** An HTTP handler outside grpc-gateway. */
export interface WebHandler {
  /** A path template relative to `/api/v3` when `api`, otherwise an absolute path prefix (a mount). */
  readonly path: string;
  readonly api: boolean;
  /** Components that serve it, in order of preference. */
  readonly components: readonly ComponentId[];
  readonly editions: readonly Edition[];
  readonly basis: Basis;
  readonly streaming: boolean;
  readonly websocket: boolean;
  readonly source: readonly string[];
  readonly note: string;
}

/** A service of the API data that no deployable component serves, and why. */
export interface UnservedService {
  readonly service: string;
  readonly note: string;
}

/** COMPONENT_SERVICES. Components are in catalog order, the order of preference among several servers. */
export interface ComponentServices {
  readonly source: ApiSource;
  readonly docsSource: ApiSource;
  readonly components: readonly ComponentRegistrations[];
  readonly web: readonly WebHandler[];
  readonly unserved: readonly UnservedService[];
}
