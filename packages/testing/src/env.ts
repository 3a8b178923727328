/** The account and region every construct test deploys to. */
export const env = { accountId: '111111111111', region: 'eu-west-1' };
