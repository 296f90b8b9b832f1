import { Alert, Center, Loader } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { useAuth } from '../auth/auth-context';
import { HomePage } from './home.page';
import { itemsFor } from './nav';

/** The routes of the screens the signed-in user may open; anything else is "not found". */
export function AppRoutes() {
  const { user } = useAuth();
  return (
    <ScreenErrorBoundary>
      <Suspense
        fallback={
          <Center p="xl">
            <Loader aria-label="Loading the screen" />
          </Center>
        }
      >
        <Routes>
          <Route path="/" element={<HomePage />} />
          {itemsFor(user.roles).map((item) => (
            <Route key={item.path} path={item.path} element={<item.component />} />
          ))}
          <Route
            path="*"
            element={
              <Alert color="yellow" title="Not found">
                There is no such screen, or your role does not open it.
              </Alert>
            }
          />
        </Routes>
      </Suspense>
    </ScreenErrorBoundary>
  );
}

/** A screen that throws shows what failed instead of a blank page; the rest of the app stays usable. */
class ScreenErrorBoundary extends Component<{ children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }
  override render() {
    if (this.state.error) {
      return (
        <Alert color="red" title="This screen failed" role="alert">
          {this.state.error.message}
        </Alert>
      );
    }
    return this.props.children;
  }
}
