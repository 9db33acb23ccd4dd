/**
 * Stored identity objects (permanent layouts, versioned JSON): entities, their aliases (one
 * per auth mount), groups and group aliases. Keys: `entity/<id>`, `alias/<id>`, `group/<id>`,
 * `group-alias/<id>` in the identity store's storage view.
 */
export const IDENTITY_ENTRY_VERSION = 1;

export interface Entity {
  v: number;
  id: string;
  name: string;
  metadata: Record<string, string>;
  policies: string[];
  disabled: boolean;
  creation_time: string;
  last_update_time: string;
  merged_entity_ids: string[];
}

export interface EntityAlias {
  v: number;
  id: string;
  canonical_id: string;
  mount_accessor: string;
  name: string;
  metadata: Record<string, string>;
  custom_metadata: Record<string, string>;
  creation_time: string;
  last_update_time: string;
}

export type GroupType = 'internal' | 'external';

export interface Group {
  v: number;
  id: string;
  name: string;
  type: GroupType;
  metadata: Record<string, string>;
  policies: string[];
  member_entity_ids: string[];
  /** Groups that are members of this group (they inherit this group's policies). */
  member_group_ids: string[];
  creation_time: string;
  last_update_time: string;
}

export interface GroupAlias {
  v: number;
  id: string;
  canonical_id: string;
  mount_accessor: string;
  name: string;
  creation_time: string;
  last_update_time: string;
}

/** What the identity store needs to know about auth mounts. */
export interface MountLookup {
  byAccessor(accessor: string): { type: string; path: string; table: string } | undefined;
}
