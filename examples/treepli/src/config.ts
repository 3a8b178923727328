/**
 * Everything deployment-specific in the treepli example. Every value is a placeholder: replace them with your own
 * (see the README, "What to replace"). Nothing here is looked up from AWS, so the app synthesizes and plans offline.
 */
export interface GithubRepository {
  /** `owner/repo` whose workflows build and deploy the service. */
  readonly repository: string;
  /** The only branch whose workflows may assume the deploy role. */
  readonly branch: string;
}

export interface TreepliConfig {
  /** Prefix of every name. */
  readonly name: string;
  readonly environment: { readonly accountId: string; readonly region: string };
  readonly availabilityZones: string[];
  readonly vpcCidr: string;
  /** Public Route 53 hosted zone of `domain` (created outside this example). */
  readonly hostedZoneId: string;
  readonly domain: string;
  /** Viewers' name of the site (CloudFront). */
  readonly wwwDomain: string;
  /** Name of the HTTP API (API Gateway custom domain). */
  readonly apiDomain: string;
  /** Name CloudFront uses to reach the public ALB (it must match the ALB's certificate). */
  readonly originDomain: string;
  /** Name API Gateway verifies on the internal ALB's certificate (no DNS record needed). */
  readonly internalApiDomain: string;
  /**
   * Id of the AWS-managed prefix list `com.amazonaws.global.cloudfront.origin-facing` in `environment.region` (it
   * differs per region): `aws ec2 describe-managed-prefix-lists --region <region> --filters
   * Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing --query 'PrefixLists[0].PrefixListId'`.
   */
  readonly cloudFrontPrefixListId: string;
  /** Name of the sensitive Terraform variable holding the CloudFront origin secret (set it as TF_VAR_<name>). */
  readonly originSecretVariable: string;
  /** Image tags the services start with; afterwards CI owns the running image. */
  readonly initialImageTags: { readonly frontend: string; readonly backend: string };
  readonly github: { readonly frontend: GithubRepository; readonly backend: GithubRepository };
  /** EC2 container instances shared by both services (Graviton: arm64 images). */
  readonly capacity: { readonly instanceType: string; readonly minSize: number; readonly maxSize: number };
  readonly database: { readonly name: string; readonly instanceClass: string; readonly allocatedStorageGiB: number };
  /** Who receives alarm notifications. */
  readonly alarmEmails: string[];
}

export const config: TreepliConfig = {
  name: 'treepli',
  environment: { accountId: '111111111111', region: 'eu-west-1' },
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  vpcCidr: '10.40.0.0/16',
  hostedZoneId: 'Z0123456789EXAMPLE',
  domain: 'treepli.example.com',
  wwwDomain: 'www.treepli.example.com',
  apiDomain: 'api.treepli.example.com',
  originDomain: 'origin.treepli.example.com',
  internalApiDomain: 'api-internal.treepli.example.com',
  cloudFrontPrefixListId: 'pl-4fa04526',
  originSecretVariable: 'treepli_origin_verify_secret',
  initialImageTags: { frontend: 'v0.1.0', backend: 'v0.1.0' },
  github: {
    frontend: { repository: 'treepli/web', branch: 'main' },
    backend: { repository: 'treepli/api', branch: 'main' },
  },
  capacity: { instanceType: 'm7g.large', minSize: 2, maxSize: 6 },
  database: { name: 'treepli', instanceClass: 'db.t4g.medium', allocatedStorageGiB: 20 },
  alarmEmails: ['ops@example.com'],
};
