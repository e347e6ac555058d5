/**
 * What an application calls: {@link io.kubitect.core.Kubitect} (validate, plan, apply, destroy,
 * export, list), its plans, results, events and exceptions. The executor SPI lives in {@code
 * io.kubitect.core.spi}; everything else in this package that is not public is internal (validation
 * rules, planner, cluster state, locks, journal).
 */
@NullMarked
package io.kubitect.core;

import org.jspecify.annotations.NullMarked;
