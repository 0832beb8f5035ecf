/**
 * An object's fields that hold a value. With `exactOptionalPropertyTypes`, an optional field of a
 * zod-parsed input (`field?: T | undefined`) does not fit an options type whose field is `field?: T`
 * (absent means "the default"); this turns the one into the other, leaving out a field set to
 * `undefined` as if it had never been given. Fields that cannot be `undefined` stay required.
 *
 * @example definedFields({ name: 'Shop', model: 'gpt-4o', provider: undefined }) // { name: 'Shop', model: 'gpt-4o' }
 */
export function definedFields<Value extends object>(value: Value): DefinedFields<Value> {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined),
  ) as DefinedFields<Value>;
}

/** `Value` with every field that may be `undefined` made optional and that may not hold `undefined`. */
export type DefinedFields<Value> = {
  [Field in keyof Value as undefined extends Value[Field] ? never : Field]: Value[Field];
} & {
  [Field in keyof Value as undefined extends Value[Field] ? Field : never]?: Exclude<Value[Field], undefined>;
};
