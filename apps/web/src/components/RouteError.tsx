import { Button, Center, Code, EmptyState, Group } from '@mantine/core';
import { IconBug } from '@tabler/icons-react';
import { isRouteErrorResponse, useRouteError } from 'react-router-dom';

/** Last-resort screen when a page crashes while rendering. */
export function RouteError() {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error';
  return (
    <Center mih="100dvh" p="xl">
      <EmptyState
        variant="light"
        color="red"
        icon={<IconBug size={26} />}
        title="Something went wrong"
        description={
          <>
            This page hit an unexpected error. Reloading usually helps.
            <Code block mt="sm">
              {detail}
            </Code>
          </>
        }
      >
        <EmptyState.Actions>
          <Group gap="sm">
            <Button onClick={() => window.location.reload()}>Reload</Button>
            <Button variant="default" component="a" href="/inbox">
              Go to inbox
            </Button>
          </Group>
        </EmptyState.Actions>
      </EmptyState>
    </Center>
  );
}
