/**
 * Configuration as code: {@code wif plan}, {@code wif apply} and {@code wif export}. A YAML file
 * names projects, service accounts, providers and rules; {@link dev.openwif.cli.apply.ConfigReader}
 * reads it (every error names the file, line and field), {@link dev.openwif.cli.apply.PlanMaker}
 * compares it with the server's state and {@link dev.openwif.cli.apply.PlanRunner} applies the plan
 * through the admin API. Everything but the admin calls themselves is pure and tested without a
 * server.
 */
@NullMarked
package dev.openwif.cli.apply;

import org.jspecify.annotations.NullMarked;
