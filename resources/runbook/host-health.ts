// "Wait for alerts to clear and run smoke tests before the next host": the checks run
// after each control-plane or storage host's update, before the next host is touched.
import { BUILT_IN_HEALTH_CHECKS } from "../config/host-safety";
import { onHosts } from "./host-commands";
import { HealthCheck, hostsOf, PlanInput, UntilHealthy } from "./phases";

/**
 * The built-in checks, on the controllers: no container unhealthy or restarting (on the
 * host too, when it is not a controller), the MariaDB cluster at full size, every
 * RabbitMQ node running. Each exits non-zero otherwise, and fails when docker does.
 */
function builtIn(name: (typeof BUILT_IN_HEALTH_CHECKS)[number], controllers: string[], host: string): string[] {
  const size = controllers.length;
  switch (name) {
    case "containers":
      return onHosts(controllers.includes(host) ? "controllers" : `controllers,${host}`, 'ps=$(docker ps --all --format "{{.Names}} {{.Status}}") && ! echo "$ps" | grep -E "Restarting|\\(unhealthy\\)"', true);
    case "mariadb":
      return onHosts(
        "controllers",
        `docker exec mariadb sh -c 'mysql --user="$MYSQL_USERNAME" --password="$MYSQL_PASSWORD" --batch --skip-column-names --execute="SHOW STATUS LIKE \\"wsrep_cluster_size\\""' | awk '{ print } $2 == ${size} { ok = 1 } END { exit !ok }'`,
        true,
      );
    case "rabbitmq":
      return onHosts("controllers", `docker exec rabbitmq rabbitmqctl await_online_nodes ${size} --timeout 10`, true);
  }
}

/** The wait after `host`: the built-in checks the stack keeps (or replaces), then the operator's own. */
export function untilHealthy({ config, kayobe }: PlanInput, host: string): UntilHealthy {
  const { healthChecks, healthAttempts, healthIntervalSeconds } = config.hostSafety;
  const controllers = hostsOf(kayobe, "controllers");
  const builtIns = BUILT_IN_HEALTH_CHECKS.map((name): HealthCheck | undefined => {
    const own = healthChecks[name];
    return own === false ? undefined : { name, argv: own ?? builtIn(name, controllers, host) };
  });
  const own = Object.entries(healthChecks).flatMap(([name, argv]) => ((BUILT_IN_HEALTH_CHECKS as readonly string[]).includes(name) || argv === false ? [] : [{ name, argv }]));
  return { kind: "until-healthy", host, checks: [...builtIns.filter((check) => check !== undefined), ...own], attempts: healthAttempts, intervalSeconds: healthIntervalSeconds };
}
