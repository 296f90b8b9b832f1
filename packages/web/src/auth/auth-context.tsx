import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { FhirClient } from '../api/fhir-client';
import { refreshSession, signOut } from './oauth';
import {
  clearSession,
  idleFor,
  loadSession,
  type SignedInUser,
  type StoredSession,
  saveSession,
  touchActivity,
} from './session';

export interface Auth {
  user: SignedInUser;
  fhir: FhirClient;
  signOut: () => void;
}

const AuthContext = createContext<Auth | undefined>(undefined);

/** The signed-in user and the FHIR client of this tab; only inside `<SignedIn>`. */
export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside a signed-in tree');
  return auth;
}

/**
 * Minutes without a key press or tap after which the app signs out (ONC automatic log-off). The
 * server writes its configured value into index.html; 15 minutes when it did not.
 */
export function idleMinutes(): number {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="hospitium-idle-minutes"]');
  const value = Number(meta?.content);
  return Number.isFinite(value) && value > 0 ? value : 15;
}

const activityEvents = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Provides the session to the screens: refreshes the access token shortly before it expires,
 * signs out after the idle timeout, and ends the session when the server refuses the token.
 */
export function SignedIn({ session: initial, children }: { session: StoredSession; children: ReactNode }) {
  const [session, setSession] = useState(initial);
  const current = useRef(initial);
  const refreshing = useRef<Promise<StoredSession> | undefined>(undefined);

  const end = useCallback((reason: 'user' | 'idle') => {
    const s = current.current;
    clearSession();
    void signOut(s, reason);
  }, []);

  const token = useCallback(async (): Promise<string> => {
    const s = current.current;
    if (s.expiresAt - Date.now() > 30_000) return s.accessToken;
    refreshing.current ??= refreshSession(s).finally(() => {
      refreshing.current = undefined;
    });
    try {
      const next = await refreshing.current;
      current.current = next;
      saveSession(next);
      setSession(next);
      return next.accessToken;
    } catch {
      // The refresh token is gone (revoked, expired): the user signs in again.
      end('user');
      throw new Error('Your session has ended. Sign in again.');
    }
  }, [end]);

  useEffect(() => {
    touchActivity();
    const onActivity = () => touchActivity();
    for (const e of activityEvents) window.addEventListener(e, onActivity, { passive: true });
    const limit = idleMinutes() * 60_000;
    const timer = window.setInterval(() => {
      if (idleFor() >= limit) end('idle');
    }, 15_000);
    return () => {
      for (const e of activityEvents) window.removeEventListener(e, onActivity);
      window.clearInterval(timer);
    };
  }, [end]);

  const auth = useMemo<Auth>(
    () => ({
      user: session.user,
      fhir: new FhirClient(token, () => end('user')),
      signOut: () => end('user'),
    }),
    [session.user, token, end],
  );
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}

export { loadSession };
