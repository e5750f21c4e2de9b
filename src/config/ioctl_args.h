/*
 * Text forms shared by the configuration (drivers: ioctls:), --driver-param
 * and `openwfp ioctl`: IOCTL codes, hex bytes, input files.
 */
#ifndef OWFP_CONFIG_IOCTL_ARGS_H
#define OWFP_CONFIG_IOCTL_ARGS_H

#include <stddef.h>
#include <stdint.h>

/* Largest IOCTL input read from a file or hex (configuration and CLI). */
#define OWFP_IOCTL_MAX_IN ((size_t)1 << 20)

/*
 * A number (0x2200 or decimal), or CTL_CODE(DeviceType, Function, Method,
 * Access) with numbers or the usual names (FILE_DEVICE_NETWORK,
 * FILE_DEVICE_UNKNOWN, METHOD_BUFFERED, METHOD_IN_DIRECT, METHOD_OUT_DIRECT,
 * METHOD_NEITHER, FILE_ANY_ACCESS, FILE_READ_ACCESS, FILE_WRITE_ACCESS);
 * -1 if neither.
 */
int owfp_ioctl_code_parse(const char *s, uint32_t *out);

/* Hex digits, in pairs, optionally separated by spaces, ':' or '-'
 * ("01 00 00 00", "01:00", "0100"); "" is zero bytes. -EINVAL (not hex,
 * odd count), -E2BIG (over `max` bytes), -ENOMEM. *out is malloc'ed. */
int owfp_hex_parse(const char *s, size_t max, uint8_t **out, size_t *len);

/* Reads a whole regular file of at most `max` bytes; message in err. */
int owfp_file_read(const char *path, size_t max, uint8_t **out, size_t *len, char *err,
		   size_t errlen);

#endif
