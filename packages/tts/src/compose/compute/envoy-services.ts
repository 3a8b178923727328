import { ContainerProps } from '@tts-ecs/compute';
import {
  ComponentId,
  Edition,
  IdentityServerMode,
  identityServerProxyConfig,
  routerConfig,
} from '@tts-ecs/tts-catalog';
import { PRIMARY_IDENTITY_SERVER_PORTS } from '../primary-link';
import { ROUTER_PORTS } from './listeners';

/** Largest bootstrap passed on the command line, as escaped in the task definition (whose limit is 64 KiB). */
export const MAX_BOOTSTRAP_BYTES = 56 * 1024;

/** Envoy image of the router and the IS proxy, pinned to an exact release (bump deliberately, like the TTS version). */
export const ENVOY_IMAGE = 'envoyproxy/envoy:v1.32.3';

/**
 * An Envoy container whose bootstrap is passed on the command line (`--config-yaml` takes JSON too), so no file is
 * written or baked into an image and the configuration is part of the task definition Terraform plans. The image's
 * entrypoint script (which switches users) is bypassed: Envoy runs unprivileged on ports above 1024.
 */
export function envoyContainer(bootstrap: object, ports: number[]): ContainerProps {
  const json = JSON.stringify(bootstrap);
  // ECS caps a task definition at 64 KiB; leave room for the rest of it. The bootstrap travels as a JSON string inside
  // the container definitions, so its quotes are escaped: measure it that way.
  const inTaskDefinition = Buffer.byteLength(JSON.stringify(json));
  if (inTaskDefinition > MAX_BOOTSTRAP_BYTES) {
    throw new Error(
      `The Envoy bootstrap takes ${inTaskDefinition} bytes of the task definition, more than ${MAX_BOOTSTRAP_BYTES} fit. ` +
        'Route fewer components through this Envoy, or move its configuration to a file on EFS or in the image.',
    );
  }
  return {
    name: 'envoy',
    image: ENVOY_IMAGE,
    entryPoint: ['/usr/local/bin/envoy'],
    command: ['--config-yaml', json, '--disable-hot-restart', '--log-level', 'info'],
    portMappings: ports.map((containerPort) => ({ containerPort })),
    writablePaths: ['/tmp'],
    // The admin interface listens on loopback only; /ready answers "LIVE" once the listeners are up.
    healthCheck: {
      command: [
        'CMD',
        'bash',
        '-c',
        'exec 3<>/dev/tcp/127.0.0.1/9901 && printf "GET /ready HTTP/1.0\\r\\n\\r\\n" >&3 && grep -q LIVE <&3',
      ],
      startPeriodSeconds: 15,
    },
  };
}

/**
 * The HTTP/gRPC router container (official template 5-7), routing to the components of `included`; in secondaries
 * (`identityServer: 'proxy'`) `is` is the IS proxy, which gets only the routes the Identity Server alone serves.
 */
export function routerContainer(
  included: readonly ComponentId[],
  edition: Edition,
  hostOf: (c: ComponentId) => string,
  identityServer: IdentityServerMode,
): ContainerProps {
  const bootstrap = routerConfig({
    includedComponents: included,
    upstreamHost: hostOf,
    edition,
    identityServer,
    listenPorts: ROUTER_PORTS,
  });
  return envoyContainer(bootstrap, [ROUTER_PORTS.http, ROUTER_PORTS.https, ROUTER_PORTS.grpc]);
}

/**
 * The Identity Server proxy container of a secondary (official template 5-3b), forwarding to the primary's domain
 * on the primary's public IS ports ({@link PRIMARY_IDENTITY_SERVER_PORTS}, what the contract publishes).
 */
export function identityServerProxyContainer(primaryDomain: string, edition: Edition): ContainerProps {
  const bootstrap = identityServerProxyConfig({
    primaryDomain,
    edition,
    primaryHttpsPort: PRIMARY_IDENTITY_SERVER_PORTS.https,
    primaryGrpcTlsPort: PRIMARY_IDENTITY_SERVER_PORTS.grpc,
  });
  return envoyContainer(bootstrap, [1884, 1885]);
}
