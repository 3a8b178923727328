/** The alarm topic the observability tests send alarms to. */
export const topicArn = 'arn:aws:sns:eu-west-1:111111111111:alarms';
