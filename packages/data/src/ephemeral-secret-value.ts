import { Construct } from 'constructs';
import { IResolvable, IResolveContext, TerraformElement, TerraformStack, Token } from 'cdktf';
import { requireIntegerInRange, requireOneOf, requireProp } from '@tts-ecs/core';

/** A random password of letters and digits, optionally with URI-safe punctuation. */
export interface EphemeralPasswordOptions {
  readonly kind: 'password';
  /** Characters. @default 32 */
  readonly length?: number;
  /** Include punctuation from {@link SAFE_PUNCTUATION}. @default false */
  readonly punctuation?: boolean;
}

/** Random bytes as lower-case hex (2 characters per byte), e.g. 32 for a cookie block key or 64 for a hash key. */
export interface EphemeralHexOptions {
  readonly kind: 'hex';
  /** Number of random bytes; the value has twice as many characters. */
  readonly byteLength: number;
}

export type EphemeralSecretValueProps = EphemeralPasswordOptions | EphemeralHexOptions;

/**
 * The punctuation a password with `punctuation: true` may contain: none of `@ " / \ ' ` and spaces, which break
 * connection URIs, shell commands and Redis AUTH tokens.
 */
export const SAFE_PUNCTUATION = '!#$%&*()-_=+[]{}<>:?';
// Secrets Manager's punctuation set (GetRandomPassword API reference); what is not safe gets excluded.
const AWS_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const NOT_HEX = 'ghijklmnopqrstuvwxyz';
const TYPE = 'aws_secretsmanager_random_password';

/**
 * A random value that never reaches Terraform state: an `ephemeral "aws_secretsmanager_random_password"` block
 * (Terraform >= 1.10, AWS provider >= 5.83), drawn anew on every plan and apply. Use `value` only in write-only
 * attributes of the same stack (`Secret`'s value, `AuroraPostgres`' password): they store it only when their version
 * number changes, so the first apply stores one value and later runs store nothing until the version is raised.
 * cdktf 0.21 has no typed ephemeral blocks; this element writes the JSON block itself (JSON output only, no HCL).
 */
export class EphemeralSecretValue extends Construct {
  /** The value (token); an error at synth if used in another stack (an ephemeral value cannot be an output). */
  readonly value: string;

  constructor(scope: Construct, id: string, props: EphemeralSecretValueProps) {
    super(scope, id);
    requireOneOf(this, 'kind', props.kind, ['password', 'hex']);
    let args: Record<string, unknown>;
    if (props.kind === 'password') {
      const length = props.length ?? 32;
      requireIntegerInRange(this, 'length', length, 16, 4096);
      const punctuation = props.punctuation ?? false;
      requireProp(this, typeof punctuation === 'boolean', 'punctuation', punctuation, 'Use true or false.');
      args = punctuation
        ? {
            password_length: length,
            exclude_characters: [...AWS_PUNCTUATION].filter((c) => !SAFE_PUNCTUATION.includes(c)).join(''),
            require_each_included_type: true,
          }
        : { password_length: length, exclude_punctuation: true, require_each_included_type: true };
    } else {
      requireIntegerInRange(this, 'byteLength', props.byteLength, 16, 2048);
      args = {
        password_length: props.byteLength * 2,
        exclude_punctuation: true,
        exclude_uppercase: true,
        exclude_characters: NOT_HEX,
        require_each_included_type: false,
      };
    }
    const block = new EphemeralBlock(this, 'Random', TYPE, args);
    this.value = Token.asString(new EphemeralReference(block, 'random_password'));
  }
}

/** One `ephemeral "<type>" "<name>"` block in the stack's JSON. */
class EphemeralBlock extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    readonly type: string,
    private readonly args: Record<string, unknown>,
  ) {
    super(scope, id, `ephemeral.${type}`);
  }

  toTerraform(): Record<string, unknown> {
    return { ephemeral: { [this.type]: { [this.friendlyUniqueId]: this.args } } };
  }

  toHclTerraform(): Record<string, unknown> {
    throw new Error(
      `${this.node.path}: ephemeral blocks are written in JSON only; synthesize without hclOutput (cdktf 0.21 renders no ephemeral HCL).`,
    );
  }
}

/** `${ephemeral.<type>.<name>.<attribute>}`, refused outside the block's stack instead of becoming an output. */
class EphemeralReference implements IResolvable {
  readonly creationStack: string[] = [];

  constructor(
    private readonly block: EphemeralBlock,
    private readonly attribute: string,
  ) {}

  resolve(context: IResolveContext): string {
    const origin = TerraformStack.of(this.block);
    const user = TerraformStack.of(context.scope);
    if (user !== origin) {
      throw new Error(
        `Stack ${user.node.id} uses the ephemeral value ${this.block.node.path}, which exists only in stack ` +
          `${origin.node.id}. Ephemeral values cannot cross stacks (they would become outputs in state): ` +
          `generate the value in ${user.node.id}, or store it in a Secret and read that.`,
      );
    }
    const expression = `ephemeral.${this.block.type}.${this.block.friendlyUniqueId}.${this.attribute}`;
    return context.suppressBraces ? expression : `\${${expression}}`;
  }

  toString(): string {
    return Token.asString(this);
  }
}
