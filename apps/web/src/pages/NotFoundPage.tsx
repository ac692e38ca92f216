import { Button, Center, EmptyState } from '@mantine/core';
import { IconMapPinOff } from '@tabler/icons-react';
import { Link } from 'react-router-dom';

export function NotFoundPage() {
  return (
    <Center mih="60vh" p="xl">
      <EmptyState
        variant="light"
        icon={<IconMapPinOff size={26} />}
        title="Page not found"
        description="The page you are looking for does not exist or has moved."
      >
        <EmptyState.Actions>
          <Button component={Link} to="/inbox">
            Go to inbox
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Center>
  );
}
