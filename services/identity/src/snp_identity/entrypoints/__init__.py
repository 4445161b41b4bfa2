"""snp_identity.entrypoints"""
