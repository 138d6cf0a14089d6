package org.mpool.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mpool.common.MpoolException.ErrorCode;

/** Errno values get their C names and map to the error codes callers branch on. */
class ErrnoTest {

    @Test
    void everyConstantIsNamedAfterItself() throws IllegalAccessException {
        int constants = 0;
        for (Field f : Errno.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                assertThat(Errno.name(f.getInt(null)))
                        .as("name of Errno.%s", f.getName())
                        .isEqualTo(f.getName());
                constants++;
            }
        }
        assertThat(constants).isGreaterThan(20);
    }

    @Test
    void unknownValuesAreNamedByNumber() {
        assertThat(Errno.name(4095)).isEqualTo("errno 4095");
        assertThat(Errno.describe(4095)).isNotBlank();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "EIO, IO",
        "ENOSPC, NO_SPACE",
        "EDQUOT, NO_SPACE",
        "EFBIG, NO_SPACE",
        "ENOENT, NOT_FOUND",
        "ENODEV, NOT_FOUND",
        "EEXIST, EXISTS",
        "EAGAIN, LOCKED",
        "EACCES, PERMISSION",
        "EROFS, PERMISSION",
        "EINVAL, INVALID_ARGUMENT",
        "EISDIR, INVALID_ARGUMENT",
        "EBUSY, BUSY",
        "EOPNOTSUPP, UNSUPPORTED",
        "ENOTTY, UNSUPPORTED",
        "EBADF, IO"
    })
    void mapsToErrorCodes(String errno, ErrorCode expected) throws ReflectiveOperationException {
        int value = Errno.class.getField(errno).getInt(null);
        assertThat(Errno.toErrorCode(value)).isEqualTo(expected);
    }

    @Test
    void unknownValuesMapToIo() {
        assertThat(Errno.toErrorCode(4095)).isEqualTo(ErrorCode.IO);
    }
}
