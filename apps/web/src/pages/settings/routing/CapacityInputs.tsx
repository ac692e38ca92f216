import { NumberInput, SimpleGrid } from '@mantine/core';
import { channelKinds, type ChannelKind } from '../../../api/routing';

/** One whole-number field (0–100) per channel kind, as the workspace default and a person's own capacity are edited. */
export function CapacityInputs({
  values,
  onChange,
  errors,
  placeholders,
}: {
  values: Record<ChannelKind, number | string>;
  onChange: (kind: ChannelKind, value: number | string) => void;
  errors: Record<string, string>;
  placeholders?: Record<ChannelKind, number>;
}) {
  return (
    <SimpleGrid cols={{ base: 2, xs: 4 }} spacing="sm">
      {channelKinds.map(({ kind, label }) => (
        <NumberInput
          key={kind}
          label={label}
          placeholder={placeholders ? String(placeholders[kind]) : undefined}
          min={0}
          max={100}
          allowDecimal={false}
          allowNegative={false}
          value={values[kind]}
          onChange={(v) => onChange(kind, v)}
          error={errors[`capacity.${kind}`]}
        />
      ))}
    </SimpleGrid>
  );
}
