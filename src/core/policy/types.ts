/**
 * The parsed form of an ACL policy, as Vault models it: a name, the raw text (stored as the
 * operator wrote it, after any base64 decoding) and one rule per `path` block.
 */

/** Every capability the policy language accepts (Vault's set; `root` is never written in a policy). */
export const CAPABILITIES = [
  'create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'subscribe',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** A parameter constraint map: lower-cased parameter name → permitted/forbidden values ([] = any). */
export type ParameterMap = ReadonlyMap<string, readonly unknown[]>;

export interface PathRule {
  /** The path as written, leading `/` stripped; a trailing `*` is kept (see `isPrefix`). */
  readonly path: string;
  /** `*`-suffixed rule without `+` segments: matches every path starting with `prefix`. */
  readonly isPrefix: boolean;
  /** The rule contains `+` segment wildcards (it may also end in `*`). */
  readonly hasSegmentWildcards: boolean;
  /** The path contains `{{identity...}}` templates, resolved per token at ACL-build time. */
  readonly templated: boolean;
  /** Capabilities after legacy `policy` mapping; a block with `deny` holds `['deny']` only. */
  readonly capabilities: readonly Capability[];
  /** `undefined` when the block did not set it (no restriction). */
  readonly allowedParameters?: ParameterMap;
  readonly deniedParameters?: ParameterMap;
  readonly requiredParameters: readonly string[];
  /** Seconds; 0 = unset. */
  readonly minWrappingTtlSeconds: number;
  readonly maxWrappingTtlSeconds: number;
}

export interface Policy {
  /** Normalised (trimmed, lower-cased) name. */
  readonly name: string;
  /** The policy text that was parsed (base64 already decoded). */
  readonly raw: string;
  readonly paths: readonly PathRule[];
  /** Some path uses identity templating. */
  readonly templated: boolean;
}
