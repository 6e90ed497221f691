// Generated at bundle time by stripe-app/preview/build.ts from the manifest's views.
declare module 'preview:views' {
  import type { ComponentType } from 'react';
  const views: Record<string, ComponentType<any>>;
  export default views;
}
