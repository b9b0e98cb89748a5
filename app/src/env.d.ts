// The generated client guards its dev-only messages with `process.env.NODE_ENV` (replaced by vite).
declare const process: { env: Record<string, string | undefined> };
