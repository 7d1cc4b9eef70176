// libnftables as a Clang module for LinuxKernel. Only LinuxKernel imports it.
#ifndef SWITCHYARD_CNFTABLES_SHIM_H
#define SWITCHYARD_CNFTABLES_SHIM_H

#include <nftables/libnftables.h>

// A macro Swift cannot import, as a typed constant.
static const uint32_t cnft_ctx_default = NFT_CTX_DEFAULT;

#endif
