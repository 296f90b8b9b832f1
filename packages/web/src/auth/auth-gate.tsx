import { Alert, Button, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { SignedIn } from './auth-context';
import { completeSignIn, signedInPath, signedOutPath, startSignIn } from './oauth';
import { loadSession, type StoredSession, saveSession } from './session';

/**
 * Decides what a tab shows before any screen: the sign-in redirect, the return from it, the
 * signed-out page, or the app for a signed-in user.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const path = location.pathname;
  if (path === signedOutPath) return <SignedOutPage />;
  if (path === signedInPath) return <CompleteSignIn>{children}</CompleteSignIn>;
  const session = loadSession();
  if (!session) return <RedirectToSignIn />;
  return <SignedIn session={session}>{children}</SignedIn>;
}

function RedirectToSignIn() {
  const [error, setError] = useState<string>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    startSignIn(location.pathname + location.search).catch((err: unknown) =>
      setError(err instanceof Error ? err.message : String(err)),
    );
  }, []);
  if (error) return <Problem title="Sign-in is not available" message={error} />;
  return (
    <Center h="100vh">
      <Stack align="center">
        <Loader aria-label="Opening sign-in" />
        <Text>Opening sign-in…</Text>
      </Stack>
    </Center>
  );
}

function CompleteSignIn({ children }: { children: ReactNode }) {
  const [error, setError] = useState<string>();
  const [session, setSession] = useState<StoredSession>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    completeSignIn(new URL(location.href))
      .then(({ session: s, returnTo }) => {
        saveSession(s);
        const target = returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/';
        history.replaceState(null, '', target === signedInPath ? '/' : target);
        setSession(s);
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, []);
  if (error) return <Problem title="Sign-in did not complete" message={error} />;
  if (!session) {
    return (
      <Center h="100vh">
        <Loader aria-label="Signing in" />
      </Center>
    );
  }
  // The router mounts now, at the page the user asked for (the address was replaced above).
  return <SignedIn session={session}>{children}</SignedIn>;
}

function SignedOutPage() {
  const idle = new URLSearchParams(location.search).get('reason') === 'idle';
  return (
    <Center h="100vh" p="md">
      <Stack maw={420} align="center" ta="center">
        <Title order={1}>Hospitium</Title>
        <Text size="lg">
          {idle ? 'You were signed out because the app was left unused.' : 'You are signed out.'}
        </Text>
        <Button size="md" onClick={() => void startSignIn('/')}>
          Sign in
        </Button>
      </Stack>
    </Center>
  );
}

function Problem({ title, message }: { title: string; message: string }) {
  return (
    <Center h="100vh" p="md">
      <Stack maw={480}>
        <Alert color="red" title={title} role="alert">
          {message}
        </Alert>
        <Button onClick={() => void startSignIn('/')}>Try signing in again</Button>
      </Stack>
    </Center>
  );
}
