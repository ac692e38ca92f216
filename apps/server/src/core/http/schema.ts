/** Schema building blocks shared by every route: strict objects, the error shape, list pages. */
import { Type, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';

/** An object that refuses unknown fields. */
export const Obj = <T extends TProperties>(properties: T, options: { description?: string; $id?: string } = {}): TObject<T> =>
  Type.Object(properties, { additionalProperties: false, ...options });

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Obj({ id: Uuid });
export const Timestamp = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. validation_failed' }),
      message: Type.String({ description: 'What went wrong, for a person' }),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { description: 'Every error has this shape' },
);

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), next_cursor: Nullable(Type.String()) });

export const PageQuery = Obj({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
});

export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorResponse]));
