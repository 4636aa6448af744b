// tfjs-esm-hooks.js — Node module hooks that let us import tfjs-core's own
// gradient definitions (dist/register_all_gradients.js). tfjs-core's Node
// entry (tf-core.node.js) ships no gradients — the @tensorflow/tfjs umbrella
// registers them from these ESM files, which use extensionless relative
// imports and sit in a package without "type": "module". The hooks add the
// ".js" and load those files as ESM; nothing else is touched. The gradients
// land in tfjs's global registry, shared with the CommonJS build we run.

const DIST = '/@tensorflow/tfjs-core/dist/';

export async function resolve(specifier, context, next) {
  if (context.parentURL?.includes(DIST) && specifier.startsWith('.') && !/\.[cm]?js$/.test(specifier)) {
    return next(specifier + '.js', context);
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (url.includes(DIST) && !url.endsWith('tf-core.node.js')) {
    const result = await next(url, { ...context, format: 'module' });
    return { ...result, format: 'module', shortCircuit: true };
  }
  return next(url, context);
}
