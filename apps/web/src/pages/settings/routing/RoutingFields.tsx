import { Radio, Stack, Switch, Text } from '@mantine/core';
import { routingModes, type RoutingMode } from '../../../api/routing';

interface Props {
  mode: RoutingMode;
  handOn: boolean;
  onMode: (mode: RoutingMode) => void;
  onHandOn: (on: boolean) => void;
  modeError?: string;
  disabled?: boolean;
}

/** How conversations are handed out (the same choice for an inbox and a team). */
export function RoutingFields({ mode, handOn, onMode, onHandOn, modeError, disabled }: Props) {
  return (
    <Stack gap="md">
      <Radio.Group label="Assign new conversations" value={mode} onChange={(v) => onMode(v as RoutingMode)} error={modeError}>
        <Stack gap="xs" mt="xs">
          {routingModes.map((m) => (
            <Radio key={m.value} value={m.value} label={m.label} description={m.description} disabled={disabled} />
          ))}
        </Stack>
      </Radio.Group>
      <Switch
        label="Hand on chats when their agent goes offline"
        description="Their open chats go back to routing, to someone who is online."
        checked={handOn}
        onChange={(e) => onHandOn(e.currentTarget.checked)}
        disabled={disabled}
      />
      {mode !== 'manual' && (
        <Text size="xs" c="dimmed">
          Only agents who are online and under their capacity are picked; agents whose skills match the customer’s language or the conversation’s tags come first. Capacity and skills are set per person in Settings → Users.
        </Text>
      )}
    </Stack>
  );
}
