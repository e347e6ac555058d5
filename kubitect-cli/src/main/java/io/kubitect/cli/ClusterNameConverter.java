package io.kubitect.cli;

import io.kubitect.core.ClusterNames;
import io.kubitect.model.KubitectException;
import picocli.CommandLine;

/**
 * Checks {@code --cluster NAME} where it comes in: a name that is not a cluster name ({@code ..}, a
 * path, empty) is a wrong command line (exit 2), never a path under the state directory.
 */
final class ClusterNameConverter implements CommandLine.ITypeConverter<String> {
  @Override
  public String convert(String value) {
    try {
      return ClusterNames.requireValid(value);
    } catch (KubitectException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
