import { join } from 'node:path';
import { packageRoot } from '../../src/config.js';

export const referenceDeclaration = join(packageRoot, 'examples/reference/declaration.yaml');
export const smallShopDeclaration = join(packageRoot, 'examples/nordkust-kaffe/declaration.yaml');
export const germanShopDeclaration = join(packageRoot, 'examples/elbblatt-tee/declaration.yaml');
