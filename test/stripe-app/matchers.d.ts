// The SDK's testing matchers (registered by @stripe/ui-extension-sdk/testing on import) declare
// themselves for Jest; this gives them to vitest's expect.
import 'vitest';
import type { RemoteComponentType, PropsForRemoteComponent } from '@remote-ui/core';

declare module 'vitest' {
  // merging with vitest's declaration needs its type parameter, unused here
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Assertion<T = any> {
    toContainText(text: string): void;
    toContainComponent<Type extends RemoteComponentType<string, any, any>>(type: Type, props?: Partial<PropsForRemoteComponent<Type>>): void;
    toContainComponentTimes<Type extends RemoteComponentType<string, any, any>>(type: Type, times: number, props?: Partial<PropsForRemoteComponent<Type>>): void;
    toHaveProps(props: Record<string, unknown>): void;
  }
}
