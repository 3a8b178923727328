import { Construct } from 'constructs';
import { PostgresInstance } from '@tts-ecs/data';
import {
  AlarmTopic,
  ApplicationLoadBalancerAlarms,
  DatabaseInstanceAlarms,
  HttpApiAlarms,
} from '@tts-ecs/observability';
import { HttpApi } from '@tts-ecs/web';
import { config } from './config';
import { TreepliLoadBalancers } from './edge';

/** One encrypted SNS topic and the alarm sets of both load balancers, the HTTP API and the database. */
export function buildAlarms(
  scope: Construct,
  inputs: { lbs: TreepliLoadBalancers; httpApi: HttpApi; database: PostgresInstance },
): AlarmTopic {
  const { lbs, httpApi, database } = inputs;
  const topic = new AlarmTopic(scope, 'Alarms', {
    environment: config.environment,
    topicName: `${config.name}-alarms`,
    emailAddresses: config.alarmEmails,
  });
  const alarmTopicArn = topic.topicArn;
  new ApplicationLoadBalancerAlarms(scope, 'WebAlbAlarms', {
    alarmTopicArn,
    alarmNamePrefix: `${config.name}-web-alb`,
    loadBalancerArnSuffix: lbs.web.arnSuffix,
    targetGroupArnSuffixes: [lbs.webTargets.arnSuffix],
  });
  new ApplicationLoadBalancerAlarms(scope, 'ApiAlbAlarms', {
    alarmTopicArn,
    alarmNamePrefix: `${config.name}-api-alb`,
    loadBalancerArnSuffix: lbs.api.arnSuffix,
    targetGroupArnSuffixes: [lbs.apiTargets.arnSuffix],
  });
  new HttpApiAlarms(scope, 'HttpApiAlarms', {
    alarmTopicArn,
    alarmNamePrefix: `${config.name}-api`,
    apiId: httpApi.apiId,
  });
  new DatabaseInstanceAlarms(scope, 'DatabaseAlarms', {
    alarmTopicArn,
    alarmNamePrefix: `${config.name}-db`,
    instanceIdentifier: database.identifier,
    allocatedStorageGiB: config.database.allocatedStorageGiB,
  });
  return topic;
}
