import { describeAddresses } from './addresses-check';

describeAddresses('all-features');
