import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { createClient, type Client } from "../api/client";
import type { TokenRequest } from "../api/types";

/** expiredNotice is shown on the login page after the API rejected the token. */
export const expiredNotice = "Your session expired, please sign in again";

/** Session is the signed-in state. The token lives only in memory, never in storage. */
export interface Session {
  token: string | null;
  /** who names the signed-in user or key for the user menu. */
  who: string;
  /** notice is a message for the login page, such as the expiry notice. */
  notice: string | null;
  /** lastLogin prefills the login form after sign-out or expiry (never the password). */
  lastLogin: { email: string; tenant: string };
  client: Client;
  signIn: (req: TokenRequest) => Promise<void>;
  signOut: (notice?: string) => void;
}

const SessionContext = createContext<Session | null>(null);

interface State {
  token: string | null;
  who: string;
  notice: string | null;
  lastLogin: { email: string; tenant: string };
}

/** SessionProvider holds the JWT in React state and hands out an API client bound to it. */
export function SessionProvider({ children, baseUrl }: { children: ReactNode; baseUrl?: string }) {
  const [state, setState] = useState<State>({ token: null, who: "", notice: null, lastLogin: { email: "", tenant: "" } });

  const signOut = useCallback((notice?: string) => {
    setState((s) => ({ ...s, token: null, who: "", notice: notice ?? null }));
  }, []);

  const client = useMemo(
    () =>
      createClient({
        baseUrl,
        token: state.token,
        onUnauthorized: () => signOut(expiredNotice),
      }),
    [baseUrl, state.token, signOut],
  );

  const signIn = useCallback(
    async (req: TokenRequest) => {
      const res = await createClient({ baseUrl }).token(req);
      const who = "email" in req ? `${req.email} · ${req.tenant}` : "API key";
      setState((s) => ({
        token: res.access_token,
        who,
        notice: null,
        lastLogin: "email" in req ? { email: req.email, tenant: req.tenant } : s.lastLogin,
      }));
    },
    [baseUrl],
  );

  const value = useMemo<Session>(
    () => ({ ...state, client, signIn, signOut }),
    [state, client, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** useSession returns the current Session; it must be used under SessionProvider. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
}

/** useClient returns the API client of the current session. */
export function useClient(): Client {
  return useSession().client;
}
