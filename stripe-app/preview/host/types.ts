// What the preview server tells the host page (GET /__preview/config).
export interface PreviewView {
  viewport: string;
  component: string;
}

export interface PreviewConfig {
  app: {
    id: string;
    name: string;
    version: string;
    permissions: string[];
    connectSrc: string[];
    constants: Record<string, unknown>;
  };
  views: PreviewView[];
  backendUrl: string;
  accountId: string;
  userId: string;
}
