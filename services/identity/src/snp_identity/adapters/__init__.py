"""snp_identity.adapters"""
