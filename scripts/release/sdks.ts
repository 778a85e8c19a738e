export function buildSdks(_out: string): void {}
