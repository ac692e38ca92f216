import { Alert, Button, Group, Paper, Skeleton, Stack, Table } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { errorMessage } from '../api/client';

interface ErrorStateProps {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}

/** A failed load: the server's message plus a retry button. */
export function ErrorState({ error, onRetry, title = 'Could not load this' }: ErrorStateProps) {
  return (
    <Alert color="red" variant="light" title={title} icon={<IconAlertTriangle size={18} />} role="alert">
      <Stack gap="sm" align="flex-start">
        <span>{errorMessage(error)}</span>
        {onRetry && (
          <Button
            size="xs"
            variant="white"
            color="red"
            leftSection={<IconRefresh size={14} />}
            onClick={onRetry}
          >
            Retry
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** Placeholder rows shown while a table loads. */
export function TableSkeleton({ columns, rows = 5 }: { columns: number; rows?: number }) {
  return (
    <Paper withBorder p={0} aria-busy="true" aria-label="Loading">
      <Table verticalSpacing="sm" horizontalSpacing="md">
        <Table.Tbody>
          {Array.from({ length: rows }, (_, r) => (
            <Table.Tr key={r}>
              {Array.from({ length: columns }, (_, c) => (
                <Table.Td key={c}>
                  <Skeleton height={12} width={c === 0 ? '70%' : '50%'} radius="xl" />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** Placeholder for a form card while it loads. */
export function FormSkeleton({ fields = 3 }: { fields?: number }) {
  return (
    <Stack gap="md" aria-busy="true" aria-label="Loading">
      {Array.from({ length: fields }, (_, i) => (
        <Stack key={i} gap={6}>
          <Skeleton height={10} width={120} radius="xl" />
          <Skeleton height={36} />
        </Stack>
      ))}
      <Group justify="flex-end">
        <Skeleton height={36} width={120} />
      </Group>
    </Stack>
  );
}
