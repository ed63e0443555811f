package dev.nexus.server.cli;

import picocli.CommandLine.ITypeConverter;

/** Byte sizes that may exceed 2 GiB ({@code 10GiB}), in the forms {@link SizeConverter} reads. */
final class LongSizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        return SizeConverter.bytes(value);
    }
}
