import { describeAddresses } from './addresses-check';

describeAddresses('example');
