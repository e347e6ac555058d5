package io.kubitect.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * Immutables style of every specification type: the generated classes stay package-private, the
 * hand-written abstract type with its nested {@code Builder} is the API.
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.CLASS)
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    jdkOnly = true,
    depluralize = true,
    depluralizeDictionary = {"dns:dns", "address:addresses"},
    typeWith = "With*",
    get = {"is*", "get*"},
    defaultAsDefault = false)
@interface SpecStyle {}
