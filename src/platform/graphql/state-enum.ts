import { registerEnumType } from '@nestjs/graphql';

/** A const array of state names as the object form GraphQL enums are registered from: { A: 'A', … }. */
export type EnumOf<T extends readonly string[]> = { [K in T[number]]: K };

/**
 * Registers a GraphQL enum whose values are exactly the given state names and returns the object to name
 * in `@Field(() => X)`. Entities keep the const array as the one definition: the CHECK constraint
 * (platform/database/state-check.ts) and this enum are both written from it.
 */
export function stateEnum<T extends readonly string[]>(values: T, name: string, description?: string): EnumOf<T> {
  const object = Object.fromEntries(values.map((v) => [v, v])) as EnumOf<T>;
  registerEnumType(object, { name, description });
  return object;
}
